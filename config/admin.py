from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import user_has_device

from partners.roles import COORDINATOR, OFFICER


def second_factor_required(user) -> bool:
    """Officers, coordinators and superusers always; everyone when the setting says so."""
    if settings.TWO_FACTOR_REQUIRED_FOR_ALL or user.is_superuser:
        return True
    return user.groups.filter(name__in=[OFFICER, COORDINATOR]).exists()


class StaffAdminSite(admin.AdminSite):
    """The staff admin: branded from settings, reachable only after the second factor."""

    @property
    def site_header(self):
        return f"{settings.SITE_NAME} staff admin"

    @property
    def site_title(self):
        return settings.SITE_NAME

    @property
    def index_title(self):
        return f"{settings.COUNCIL_NAME}: manage {settings.SITE_NAME}"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return request.user.is_verified() or not second_factor_required(request.user)

    def login(self, request, extra_context=None):
        """Sign-in happens in the two-factor flow; send people to the step they still need."""
        next_url = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME))
        if not next_url or not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}
        ):
            next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
        user = request.user
        if user.is_authenticated and user.is_staff and not user.is_verified():
            if not user_has_device(user):
                # Signed in with a password only and never enrolled: enrol now.
                return redirect("two_factor:setup")
            # Has a device but this session skipped the code: start again properly.
            logout(request)
        return redirect_to_login(next_url)


def statement_initial(url: str) -> dict:
    """The built-in text of a statement, so an officer edits it rather than starting blank."""
    from django.template.loader import render_to_string

    from config.views import STATEMENTS

    if url not in STATEMENTS:
        return {}
    heading, content_template = STATEMENTS[url]
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
    return {
        "title": heading.format(site=settings.SITE_NAME),
        "content": render_to_string(content_template, context),
        "sites": [settings.SITE_ID],
    }
