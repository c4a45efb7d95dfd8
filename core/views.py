"""Site-wide public pages: home, statements and error pages."""

import logging

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from core import querycheck
from core.cache import public_page
from core.home import home_panels

logger = logging.getLogger(__name__)


def _url_or_none(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@method_decorator(public_page, name="get")
class HomeView(TemplateView):
    """A GET search form, no token: cached whole for visitors without cookies (core.cache)."""

    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        # Sections link once their app provides the page; until then they say "coming soon".
        return super().get_context_data(
            search_url=_url_or_none("directory:search"),
            hubs_url=_url_or_none("hubs:list"),
            volunteering_url=_url_or_none("volunteering:search"),
            panels=home_panels(self.request),
            **kwargs,
        )


class StatementView(TemplateView):
    """A statement the law requires. Officers replace the built-in text without a deploy by
    adding a flat page with this URL in the admin (it starts from the built-in text)."""

    template_name = "pages/statement.html"
    heading = ""
    content_template = ""

    def get_context_data(self, **kwargs):
        flatpage = FlatPage.objects.filter(url=self.request.path, sites=settings.SITE_ID).first()
        heading = flatpage.title if flatpage else self.heading.format(site=settings.SITE_NAME)
        return super().get_context_data(
            flatpage=flatpage, heading=heading, content_template=self.content_template, **kwargs
        )


STATEMENTS = {
    "/accessibility/": ("Accessibility statement for {site}", "pages/accessibility_content.html"),
    "/privacy/": ("Privacy notice", "pages/privacy_content.html"),
}


def statement_view(url):
    heading, content_template = STATEMENTS[url]
    return StatementView.as_view(heading=heading, content_template=content_template)


def bad_request(request, exception):
    # The exception's text is for the log, not for visitors.
    return querycheck.bad_request(request)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    try:
        return render(request, "500.html", status=500)
    except Exception:  # The error page itself must never fail.
        logger.exception("Could not render the styled 500 page")
        return HttpResponseServerError(render_to_string("500_plain.html"))
