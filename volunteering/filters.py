"""The public role search: every parameter is validated by the form before any query runs."""

import django_filters
from django import forms

from core.forms import GovUKForm
from volunteering.models import Role

MAX_QUERY_LENGTH = 200


class RoleSearchForm(GovUKForm):
    def clean_q(self):
        return " ".join((self.cleaned_data.get("q") or "").split())


class CheckboxFilter(django_filters.BooleanFilter):
    """A tick box: ticked filters, unticked does nothing (never "false")."""

    field_class = forms.BooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return super().filter(qs, True) if value else qs


class RoleFilter(django_filters.FilterSet):
    """Built with areas, skills and hubs already loaded, so the choices cost no queries."""

    q = django_filters.CharFilter(
        label="Keywords",
        max_length=MAX_QUERY_LENGTH,
        method="by_words",
        error_messages={"max_length": "Search for %(limit_value)d characters or fewer"},
    )
    area = django_filters.ChoiceFilter(
        label="Town", empty_label="Anywhere", method="by_area", error_messages={}
    )
    commitment = django_filters.MultipleChoiceFilter(
        label="How much time",
        choices=Role.Commitment.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = django_filters.MultipleChoiceFilter(
        label="Skills", widget=forms.CheckboxSelectMultiple, method="by_skills"
    )
    remote = CheckboxFilter(label="Can be done from home", field_name="is_remote")
    under_18 = CheckboxFilter(label="Suitable for under-18s", method="by_under_18")
    hub = django_filters.ChoiceFilter(label="Community hub", empty_label="Any", method="by_hub")

    class Meta:
        model = Role
        fields = []
        form = RoleSearchForm

    def __init__(self, data=None, queryset=None, *, areas=(), skills=(), hubs=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.areas = {a.slug: a for a in areas}
        self.skills = {s.slug: s for s in skills}
        self.hubs = {h.slug: h for h in hubs}
        self.filters["area"].extra["choices"] = [(a.slug, a.name) for a in areas]
        self.filters["skills"].extra["choices"] = [(s.slug, s.name) for s in skills]
        self.filters["hub"].extra["choices"] = [(h.slug, h.name) for h in hubs]
        messages = {
            "area": "Choose a town from the list",
            "commitment": "Choose how much time from the list",
            "skills": "Choose skills from the list",
            "hub": "Choose a hub from the list",
        }
        for name, message in messages.items():
            self.filters[name].extra["error_messages"] = {"invalid_choice": message}

    def by_words(self, queryset, name, value):
        return queryset.matching(value) if value else queryset

    def by_area(self, queryset, name, value):
        return queryset.filter(area=self.areas[value]) if value else queryset

    def by_skills(self, queryset, name, value):
        if not value:
            return queryset
        ids = [self.skills[slug].pk for slug in value]
        return queryset.filter(skills__in=ids).distinct()

    def by_under_18(self, queryset, name, value):
        return queryset.filter(minimum_age__lt=18) if value else queryset

    def by_hub(self, queryset, name, value):
        return queryset.filter(hub=self.hubs[value]) if value else queryset
