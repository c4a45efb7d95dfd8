"""The public search form: validates every parameter, then hands over to directory.search."""

from functools import cached_property

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from core.forms import GovUKForm
from directory.map import location_point
from directory.models import Postcode, Schedule, Service
from directory.postcodes import normalise_postcode
from directory.search import Point, search_services

MAX_QUERY_LENGTH = 200
RADIUS_CHOICES = [
    ("1", "Within 1 mile"),
    ("3", "Within 3 miles"),
    ("5", "Within 5 miles"),
    ("10", "Within 10 miles"),
]


class SearchForm(GovUKForm):
    """Bad values become field errors (shown above the results), never a server error. A
    choice that is not on the list gets a message that does not repeat what was sent."""

    point = None
    located = None  # the point, when it came from "use my location"

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


class ServiceFilter(django_filters.FilterSet):
    """Built with the areas and categories already loaded, so choices cost no extra queries."""

    q = django_filters.CharFilter(
        label="Search",
        max_length=MAX_QUERY_LENGTH,
        method="by_search",
        error_messages={"max_length": "Search for %(limit_value)d characters or fewer"},
    )
    postcode = django_filters.CharFilter(
        label="Near postcode",
        max_length=20,
        method="by_search",
        help_text="For example, SS14 1AB",
    )
    # Filled in by "Use my location" (static/js/map.mjs); see directory.map.location_point.
    lat = django_filters.CharFilter(method="by_search")
    lng = django_filters.CharFilter(method="by_search")
    distance = django_filters.ChoiceFilter(
        label="Within",
        choices=RADIUS_CHOICES,
        empty_label="Any distance",
        method="by_search",
        error_messages={"invalid_choice": "Select a distance from the list"},
    )
    category = django_filters.MultipleChoiceFilter(
        label="Category",
        widget=forms.CheckboxSelectMultiple,
        method="by_search",
        error_messages={"invalid_choice": "Select categories from the list"},
    )
    area = django_filters.ChoiceFilter(
        label="Town",
        empty_label="Anywhere",
        method="by_search",
        error_messages={"invalid_choice": "Select a town from the list"},
    )
    age = IntegerFilter(
        label="Age of the person",
        min_value=0,
        max_value=120,
        method="by_search",
        help_text="Shows services open to this age",
    )
    cost = django_filters.MultipleChoiceFilter(
        label="Cost",
        choices=Service.Cost.choices,
        widget=forms.CheckboxSelectMultiple,
        method="by_search",
        error_messages={"invalid_choice": "Select costs from the list"},
    )
    access = django_filters.MultipleChoiceFilter(
        label="How to access",
        choices=Service.Access.choices,
        widget=forms.CheckboxSelectMultiple,
        method="by_search",
        error_messages={"invalid_choice": "Select ways to access from the list"},
    )
    day = django_filters.MultipleChoiceFilter(
        label="Day",
        choices=Schedule.Weekday.choices,
        widget=forms.CheckboxSelectMultiple,
        method="by_search",
        error_messages={"invalid_choice": "Select days from the list"},
    )

    class Meta:
        model = Service
        fields = []
        form = SearchForm

    def __init__(self, data=None, queryset=None, *, terms=(), areas=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.terms = list(terms)
        self.areas = list(areas)
        selected = set(self.data.getlist("category")) if hasattr(self.data, "getlist") else set()
        # Top-level categories as checkboxes, plus any sub-category already chosen by a link.
        self.filters["category"].extra["choices"] = [
            (t.slug, t.name) for t in self.terms if t.parent_id is None or t.slug in selected
        ]
        self.filters["area"].extra["choices"] = [(a.slug, a.name) for a in self.areas]

    def by_search(self, queryset, name, value):
        return queryset  # everything is applied at once in filter_queryset

    def filter_queryset(self, queryset):
        return search_services(queryset, **self.criteria)

    @cached_property
    def criteria(self) -> dict:
        """The valid form as search_services' keyword arguments. Typo tolerance is left to
        directory.search (search_page asks only when the words find few services)."""
        data = self.form.cleaned_data
        distance = data.get("distance")
        return {
            "q": " ".join((data.get("q") or "").split()),
            "category_ids": self._category_ids(data.get("category") or []),
            "area_id": next((a.pk for a in self.areas if a.slug == data.get("area")), None),
            "age": data.get("age"),
            "costs": data.get("cost") or [],
            "access": data.get("access") or [],
            "days": [int(d) for d in data.get("day") or []],
            "near": self.form.point,
            "within_miles": float(distance) if distance and self.form.point else None,
        }

    def _category_ids(self, slugs):
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

    @property
    def point(self):
        return self.form.point
