"""Public directory pages: search, listings, and suggestions from residents."""

from functools import lru_cache

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.generic import DetailView, FormView, TemplateView

from core.cache import public_page
from core.forms import page_number
from core.onetime import OneTimeFormMixin
from core.ratelimit import RateLimitedFormMixin
from directory import extensions
from directory.browse import nearest_categories, postcode_in_keywords
from directory.cache import filter_choices
from directory.cards import cards_and_markers, summary_cards
from directory.forms import ReportChangeForm, SuggestionForm
from directory.map import results_map
from directory.models import Schedule, Service
from directory.results import applied_filters, back_to_results
from directory.search import ServiceSearch, results_page
from directory.services import submit_suggestion
from partners.models import Organisation


@lru_cache(maxsize=2)
def _town_options(towns: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """One escaped <option> per (slug, name): a county has hundreds of towns, and a template
    loop over them was a noticeable part of every page. The list changes only with the
    directory."""
    return tuple(format_html('<option value="{}">{}</option>', slug, name) for slug, name in towns)


def _area_options(areas, chosen):
    """The town <option>s as one string, with the chosen one selected."""
    towns = tuple((area.slug, area.name) for area in areas)
    options = [format_html('<option value=""{}>Anywhere</option>', "" if chosen else " selected")]
    for (slug, _), option in zip(towns, _town_options(towns), strict=True):
        options.append(
            option.replace("<option ", "<option selected ", 1) if slug == chosen else option
        )
    return mark_safe("".join(options))  # noqa: S308 - every part escaped by format_html


@method_decorator(public_page, name="get")
class SearchView(TemplateView):
    """The "one stop shop": keywords, filters, near a postcode. A constant number of queries
    (at most 8 with the volunteering panel): postcode, the ranked page with its count (and
    when the words find few services, the spelling check and the wider page), and the cards'
    services with two prefetches, which also give the map's places (directory.cards);
    categories, towns and the roles panel come from the cache. A GET form with no token: the
    whole page is cached for visitors without cookies (core.cache)."""

    template_name = "directory/search.html"

    def get(self, request, *args, **kwargs):
        postcode = postcode_in_keywords(request.GET.get("q", ""))
        if postcode and not request.GET.get("postcode") and not request.GET.get("lat"):
            # A postcode typed as the keywords: search near it instead of for it.
            query = request.GET.copy()
            query.pop("q")
            query.pop("page", None)
            query["postcode"] = postcode
            return redirect(f"{reverse('directory:search')}?{query.urlencode()}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        terms, areas = filter_choices()
        search = ServiceSearch(self.request.GET, terms=terms, areas=areas)
        context = super().get_context_data(filterset=search, form=search.form, **kwargs)
        context["searched"] = any(v for k, v in self.request.GET.items() if k != "page")
        context["area_options"] = _area_options(areas, self.request.GET.get("area", ""))
        if not search.is_valid():
            context.update(page_obj=None, cards=[], count=0)
            return context
        results = results_page(search, page_number(self.request.GET.get("page")))
        paginator, page = results.paginator, results.page
        cards, markers = cards_and_markers(
            list(results.distances), point=search.point, distances=results.distances
        )
        context.update(
            applied=applied_filters(search.form, self.request.GET),
            page_obj=page,
            results_map=results_map(markers),
            cards=cards,
            count=paginator.count,
            more_than_count=f"{paginator.count:,}" if results.more else "",
            about_count=f"{results.about:,}" if results.about else "",
            page_range=paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            point=search.point,
            corrected=results.corrected,
            panels=extensions.search_panels(
                self.request, {**search.form.cleaned_data, "corrected": results.corrected}
            ),
        )
        if not paginator.count and search.keywords:
            q = search.keywords
            context["help"] = {"categories": nearest_categories(q, results.corrected)}
        return context


class ServiceDetailView(DetailView):
    template_name = "directory/service_detail.html"
    context_object_name = "service"
    slug_field = slug_url_kwarg = "uuid"

    def get_queryset(self):
        return (
            Service.objects.for_user(self.request.user)
            .select_related("organisation", "source_feed")
            .prefetch_related(
                "categories__parent",
                "locations__area",
                "languages",
                Prefetch(
                    "schedules",
                    queryset=Schedule.objects.select_related("location").order_by(
                        "weekday", "opens_at"
                    ),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(back_url=back_to_results(self.request), **kwargs)


@method_decorator(public_page, name="get")
class OrganisationDetailView(DetailView):
    """No form on it: cached whole for visitors without cookies (core.cache)."""

    template_name = "directory/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.filter(is_active=True)

    def get_context_data(self, **kwargs):
        services = self.object.services.published().order_by("name", "pk")
        cards = summary_cards(list(services.values_list("pk", flat=True)))
        areas = self.object.areas_served.all()
        return super().get_context_data(cards=cards, areas=areas, **kwargs)


class SuggestionSentMixin(OneTimeFormMixin, RateLimitedFormMixin):
    """Rate limited; sent twice (a double tap), saved once and answered with the same
    reference."""

    def sent(self, suggestion):
        self.request.session["suggestion_reference"] = suggestion.reference
        self.once_saved(session={"suggestion_reference": suggestion.reference})
        return redirect("directory:suggestion_sent")


class SuggestView(SuggestionSentMixin, FormView):
    """Suggest a new listing. It waits for an officer; the resident gets a reference."""

    template_name = "directory/suggest.html"
    form_class = SuggestionForm
    http_method_names = ["get", "post", "head", "options"]

    def form_valid(self, form):
        suggestion = submit_suggestion(
            suggestion=form.save(commit=False), categories=form.cleaned_data["categories"]
        )
        return self.sent(suggestion)


class ReportChangeView(SuggestionSentMixin, FormView):
    """Report a problem with a listing (wrong times, moved, closed)."""

    template_name = "directory/report_change.html"
    form_class = ReportChangeForm
    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        self.service = get_object_or_404(Service.objects.published(), uuid=kwargs["uuid"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(service=self.service, **kwargs)

    def form_valid(self, form):
        suggestion = submit_suggestion(suggestion=form.save(commit=False), service=self.service)
        return self.sent(suggestion)


class SuggestionSentView(TemplateView):
    template_name = "directory/suggestion_sent.html"

    def get(self, request, *args, **kwargs):
        if "suggestion_reference" not in request.session:
            return redirect(reverse("directory:suggest"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            reference=self.request.session["suggestion_reference"], **kwargs
        )
