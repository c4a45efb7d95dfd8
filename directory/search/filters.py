"""The search's parameters as django-filter filters: each one validates its parameter and
narrows (or ranks, or measures) the published services itself.

`SearchFilterSet` is the base every search of services builds on (the public page's
`ServiceSearch` here, the ORUK API's in directory.oruk.params); see directory.search for how
to add a filter.
"""

from functools import cached_property

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from core.forms import GovUKForm
from directory.cache import filter_choices
from directory.map import location_point
from directory.models import Location, Postcode, Schedule, Service, ServiceLanguage
from directory.postcodes import normalise_postcode
from directory.search.geo import Point, near, within
from directory.search.ranking import Spelling, ranker_for

MAX_QUERY_LENGTH = 200
TIME_OF_DAY_CHOICES = [
    ("morning", "Morning (before midday)"),
    ("afternoon", "Afternoon (midday to 5pm)"),
    ("evening", "Evening (from 5pm)"),
]
RADIUS_CHOICES = [
    ("1", "Within 1 mile"),
    ("3", "Within 3 miles"),
    ("5", "Within 5 miles"),
    ("10", "Within 10 miles"),
]


class SearchFilterSet(django_filters.FilterSet):
    """Published services (or `queryset`), narrowed by every filter with a value, then ranked
    by the keywords and measured from the point, best first.

    Filters run in the order declared, except those in `ranked_last` (keywords, point,
    distance), which run after every plain filter. `point` may be given directly (code that
    already holds coordinates); otherwise the form sets it from a postcode. `spelling` (a
    ranking.Spelling) says how keywords treat misspellings; None lets the ranker decide, and
    directory.search.search_page decides it cheaply for a page."""

    keyword_params = ("q",)
    ranked_last = ("postcode", "distance", "q")

    def __init__(self, data=None, queryset=None, *, point=None, spelling=None, **kwargs):
        if queryset is None:
            queryset = Service.objects.published()
        super().__init__(data, queryset, **kwargs)
        self._point = point
        self.spelling: Spelling | None = spelling
        self._measure = True

    @property
    def point(self) -> Point | None:
        return self._point or getattr(self.form, "point", None)

    @property
    def keywords(self) -> str:
        """The keywords searched, spaces tidied ("" when none or the form is invalid)."""
        data = getattr(self.form, "cleaned_data", {})
        return next((" ".join(data[p].split()) for p in self.keyword_params if data.get(p)), "")

    @property
    def within_miles(self) -> float | None:
        return None

    @property
    def ranked(self) -> bool:
        """Whether results need ranking or measuring (then search_page cuts the pages)."""
        return bool(self.keywords or self.point)

    @property
    def ranker(self):
        return ranker_for(self.queryset)

    def results(self, *, measure=True):
        """The matching services, best first (a fresh queryset each time). `measure=False`:
        without measuring the distance (what counting needs)."""
        self._measure = measure
        try:
            return self.filter_queryset(self.queryset.all())
        finally:
            self._measure = True

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        names = [n for n in self.filters if n in data and n not in self.ranked_last]
        names += [n for n in self.ranked_last if n in data]
        for name in names:
            queryset = self.filters[name].filter(queryset, data[name])
        annotations = queryset.query.annotations
        if self._measure and self.point is not None and "distance_sq" not in annotations:
            queryset = near(queryset, self.point)  # a point given directly, not a postcode
        ordering = []
        if "distance_sq" in queryset.query.annotations:
            ordering.append(F("distance_sq").asc(nulls_last=True))
        if "rank" in annotations:
            ordering.insert(0 if not ordering else 1, F("rank").desc())
        return queryset.order_by(*ordering, "name", "pk")

    @cached_property
    def qs(self):
        return self.results()


# --- filters any search can use ----------------------------------------------------------


class KeywordFilter(django_filters.CharFilter):
    """Keywords, matched and ranked by the database's ranker (directory.search.ranking)."""

    def filter(self, qs, value):
        q = " ".join((value or "").split())
        if not q or q != self.parent.keywords:
            return qs
        return self.parent.ranker.keywords(qs, q, self.parent.spelling)


class CategoryFilter(django_filters.MultipleChoiceFilter):
    """Services in any of the chosen categories or below them. The parent's
    `category_ids(values)` turns what was chosen into the term ids to match."""

    def filter(self, qs, value):
        if not value:
            return qs
        ids = self.parent.category_ids(value)
        through = Service.categories.through.objects
        return qs.filter(
            Exists(through.filter(service=OuterRef("pk"), taxonomyterm_id__in=list(ids) or [0]))
        )


# --- the public search page --------------------------------------------------------------


class SearchForm(GovUKForm):
    """Bad values become field errors (shown above the results), never a server error. A
    choice that is not on the list gets a message that does not repeat what was sent.
    `lat` and `lng` ("use my location", static/js/map.mjs; see directory.map.location_point)
    give the point instead of a postcode: the postcode filter measures from either."""

    point = None
    located = None  # the point, when it came from "use my location"
    lat = forms.CharField(required=False)
    lng = forms.CharField(required=False)

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode", "")
        if not value:
            return ""
        postcode = normalise_postcode(value)
        found = Postcode.objects.coordinates(postcode)
        if found is None:
            raise ValidationError(
                f"We could not find the postcode {postcode}. Check it, or search without one."
            )
        self.point = Point(*found)
        return postcode

    def clean(self):
        cleaned = super().clean()
        # "Use my location": coordinates instead of a postcode (a typed postcode wins).
        lat, lng = cleaned.get("lat") or "", cleaned.get("lng") or ""
        if (lat or lng) and not cleaned.get("postcode") and "postcode" not in self.errors:
            try:
                self.point = self.located = location_point(lat, lng)
            except ValidationError as error:
                self.add_error("postcode", error)
        return cleaned


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class PostcodeFilter(django_filters.CharFilter):
    """Near a postcode, or the visitor's location: measures every match's nearest place (the
    form found the point)."""

    def filter(self, qs, value):
        point = self.parent.point
        return near(qs, point) if point is not None and self.parent._measure else qs


class DistanceFilter(django_filters.ChoiceFilter):
    """Within so many miles of the postcode (ignored without one)."""

    def filter(self, qs, value):
        miles = self.parent.within_miles
        if miles and self.parent._measure:
            return within(qs, self.parent.point, miles)
        return qs


class AreaFilter(django_filters.ChoiceFilter):
    """Services with a place in the town or one of its wards."""

    def filter(self, qs, value):
        if not value:
            return qs
        area_id = next((a.pk for a in self.parent.areas if a.slug == value), None)
        if not area_id:
            return qs
        return qs.in_area(area_id)


class AgeFilter(IntegerFilter):
    """Services open to a person of this age (no limit at either end counts as open)."""

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=value)).filter(
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=value)
        )


class WeeklyFilter(django_filters.MultipleChoiceFilter):
    """Day and time of day together: services with one session on any of the chosen days
    that runs at any of the chosen times of day. The first of the two with a value applies
    both, in one EXISTS."""

    together = ("day", "time")

    def filter(self, qs, value):
        data = self.parent.form.cleaned_data
        given = [name for name in self.together if data.get(name)]
        if not given or given[0] != self.field_name:
            return qs
        sessions = Schedule.objects.all()
        if data.get("day"):
            sessions = sessions.on_days(int(d) for d in data["day"])
        if data.get("time"):
            sessions = sessions.during(data["time"])
        return qs.filter(Exists(sessions.filter(service=OuterRef("pk"))))


class DayFilter(WeeklyFilter):
    """Services with a session on any of the chosen weekdays."""


class TimeOfDayFilter(WeeklyFilter):
    """Services with a session in the morning, afternoon or evening (TIMES_OF_DAY)."""


class OpenNowFilter(django_filters.MultipleChoiceFilter):
    """Services with a session running now in the council's time zone (not those closed on
    bank holidays, when today is one)."""

    def filter(self, qs, value):
        if not value:
            return qs
        sessions = Schedule.objects.open_at(timezone.now())
        return qs.filter(Exists(sessions.filter(service=OuterRef("pk"))))


class AccessibilityFilter(django_filters.MultipleChoiceFilter):
    """Services with a place that has every chosen accessibility feature (Location.FEATURES:
    the choices are the field names)."""

    def filter(self, qs, value):
        if not value:
            return qs
        features = {field: True for field in value if field in dict(Location.FEATURES)}
        places = Location.objects.filter(services=OuterRef("pk"), **features)
        return qs.filter(Exists(places))


class LanguageFilter(django_filters.MultipleChoiceFilter):
    """Services delivered in any of the chosen languages."""

    def filter(self, qs, value):
        if not value:
            return qs
        spoken = ServiceLanguage.objects.filter(service=OuterRef("pk"), language__in=value)
        return qs.filter(Exists(spoken))


class _Lazy:
    """Choices worked out when first needed: a search that does not use the filter (or
    leaves it empty) never loads them."""

    def __init__(self, function):
        self.function, self.choices = function, None

    def _list(self):
        if self.choices is None:
            self.choices = list(self.function())
        return self.choices

    def __iter__(self):
        return iter(self._list())

    def __len__(self):
        return len(self._list())


class ServiceSearch(SearchFilterSet):
    """The public search page's parameters (/directory/?q=...&postcode=...&category=...).
    Categories and towns come from `terms` and `areas` (the cached lists), or from
    directory.cache.filter_choices() when first needed."""

    q = KeywordFilter(
        label="Search",
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": "Search for %(limit_value)d characters or fewer"},
    )
    postcode = PostcodeFilter(
        label="Near postcode", max_length=20, help_text="For example, SS14 1AB"
    )
    distance = DistanceFilter(
        label="Within",
        choices=RADIUS_CHOICES,
        empty_label="Any distance",
        error_messages={"invalid_choice": "Select a distance from the list"},
    )
    category = CategoryFilter(
        label="Category",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select categories from the list"},
    )
    area = AreaFilter(
        label="Town",
        empty_label="Anywhere",
        error_messages={"invalid_choice": "Select a town from the list"},
    )
    age = AgeFilter(
        label="Age of the person",
        min_value=0,
        max_value=120,
        help_text="Shows services open to this age",
    )
    # distinct=False: a plain column multiplies no rows, and DISTINCT would rank every match
    # before the page (no rank-ordered index scan).
    cost = django_filters.MultipleChoiceFilter(
        field_name="cost",
        distinct=False,
        label="Cost",
        choices=Service.Cost.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select costs from the list"},
    )
    access = django_filters.MultipleChoiceFilter(
        field_name="access",
        distinct=False,
        label="How to access",
        choices=Service.Access.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select ways to access from the list"},
    )
    open = OpenNowFilter(
        label="Open now",
        choices=[("now", "Open now")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select ‘Open now’ or leave it empty"},
    )
    day = DayFilter(
        label="Day",
        choices=Schedule.Weekday.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select days from the list"},
    )
    time = TimeOfDayFilter(
        label="Time of day",
        choices=TIME_OF_DAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select times of day from the list"},
    )

    accessibility = AccessibilityFilter(
        label="Accessibility",
        choices=Location.FEATURES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select accessibility features from the list"},
    )
    language = LanguageFilter(
        label="Language",
        choices=ServiceLanguage.Language.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select languages from the list"},
    )

    class Meta:
        model = Service
        fields = []
        form = SearchForm

    def __init__(self, data=None, queryset=None, *, terms=None, areas=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self._terms, self._areas = terms, areas
        selected = set(self.data.getlist("category")) if hasattr(self.data, "getlist") else set()
        # Top-level categories as checkboxes, plus any sub-category already chosen by a link.
        self.filters["category"].extra["choices"] = _Lazy(
            lambda: (
                (t.slug, t.name) for t in self.terms if t.parent_id is None or t.slug in selected
            )
        )
        self.filters["area"].extra["choices"] = _Lazy(
            lambda: ((a.slug, a.name) for a in self.areas)
        )

    @property
    def terms(self):
        if self._terms is None:
            self._terms, self._areas = filter_choices()
        return self._terms

    @property
    def areas(self):
        if self._areas is None:
            self.terms  # noqa: B018 - loads both lists
        return self._areas

    @property
    def within_miles(self):
        distance = self.form.cleaned_data.get("distance")
        return float(distance) if distance and self.point else None

    def category_ids(self, slugs):
        """The chosen categories and everything below them."""
        children = {}
        for term in self.terms:
            children.setdefault(term.parent_id, []).append(term)
        found = [t for t in self.terms if t.slug in slugs]
        ids = set()
        while found:
            term = found.pop()
            if term.pk not in ids:
                ids.add(term.pk)
                found.extend(children.get(term.pk, []))
        return ids
