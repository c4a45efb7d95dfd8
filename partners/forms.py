"""Staff admin forms for partners."""

from urllib.parse import urlencode

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms.widgets import ClearableFileInput
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from core.forms import valid_pk
from partners import measures, services
from partners.models import KpiReturn, Organisation, normalise_company_number
from partners.performance import Quarter

RECENT_QUARTERS = 12


def https_urls(db_field, **kwargs):
    """Form fields for model fields, reading "example.org" as https://example.org."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        formfield_callback = https_urls
        fields = [
            "name",
            "slug",
            "kind",
            "description",
            "is_active",
            "charity_number",
            "company_number",
            "website",
            "email",
            "phone",
            "address",
            "postcode",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Accept "SC 123456" or "123456" and normalise; the model checks the result.
        for name in ("charity_number", "company_number"):
            if name in self.fields:
                field = self.fields[name]
                field.max_length = 20
                field.validators = [
                    v for v in field.validators if not isinstance(v, MaxLengthValidator)
                ]
                field.widget.attrs["maxlength"] = 20

    def clean_company_number(self):
        return normalise_company_number(self.cleaned_data.get("company_number", ""))


def quarter_value(quarter: Quarter) -> str:
    return f"{quarter.year}-{quarter.number}"


def return_url(kpi, quarter: Quarter) -> str:
    """The staff admin's form for this KPI's return for this quarter, pre-filled."""
    params = urlencode({"kpi": kpi.pk, "period": quarter_value(quarter)})
    return f"{reverse('admin:partners_kpireturn_add')}?{params}"


def taken_message(existing) -> str:
    """What someone submitting a return that already exists is told (ReturnTaken)."""
    user = existing.submitted_by
    who = (user.get_full_name() or user.get_username()) if user else "someone"
    when = date_format(timezone.localtime(existing.submitted_at), "j F Y \\a\\t H:i")
    url = reverse("admin:partners_kpireturn_change", args=[existing.pk])
    return format_html(
        "A return for this KPI and quarter already exists: it was submitted by {} on {} while "
        'you were filling this in. Check it and <a href="{}">edit that return</a> instead; '
        "the figures below have not been saved.",
        who,
        when,
        url,
    )


def quarter_choice_label(quarter: Quarter) -> str:
    return f"{quarter.label} ({quarter.start:%B} to {quarter.end:%B %Y})"


def parse_quarter(value: str) -> Quarter | None:
    try:
        year, number = (int(part) for part in str(value).split("-"))
        if not 2000 <= year <= 2100:
            return None
        return Quarter(year, number)
    except (TypeError, ValueError):
        return None


class KpiReturnForm(forms.ModelForm):
    """A return for one quarter, picked as "2026-27 Q1" rather than a year and a number."""

    period = forms.ChoiceField(
        label="Quarter",
        help_text="UK financial-year quarters: Q1 is April to June, Q4 is January to March.",
    )

    class Meta:
        model = KpiReturn
        fields = ["kpi", "period", "value", "commentary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quarter = Quarter.containing(timezone.localdate())
        quarters = []
        for _ in range(RECENT_QUARTERS):
            quarters.append(quarter)
            quarter = quarter.previous()
        if self.instance.pk and self.instance.period not in quarters:
            quarters.append(self.instance.period)
        self.fields["period"].choices = [("", "Choose a quarter")] + [
            (quarter_value(q), quarter_choice_label(q)) for q in quarters
        ]
        if self.instance.pk:
            self.initial["period"] = quarter_value(self.instance.period)
        self._prefill()

    def _chosen(self, name):
        """The KPI or quarter from the initial data (the add link's ?kpi=&period=), else the
        saved one. The KPI must be one this user may see."""
        raw = self.initial.get(name)
        if name == "period":
            return parse_quarter(raw) if raw else (self.instance.pk and self.instance.period)
        if raw in (None, "") and self.instance.kpi_id:
            raw = self.instance.kpi_id
        field, pk = self.fields.get("kpi"), valid_pk(raw)
        if field is None or pk is None:
            return None
        return field.queryset.select_related("agreement").filter(pk=pk).first()

    def _prefill(self):
        """Opening the form for a linked KPI: pre-fill a new return with the system's figure.
        (A submitted form is counted in clean(), once.)"""
        if self.is_bound:
            return
        kpi, quarter = self._chosen("kpi"), self._chosen("period")
        if not kpi or not kpi.measure or not quarter:
            return
        computed = measures.compute_one(kpi, quarter)
        if computed is None:
            return
        if not self.instance.pk:
            self.initial["value"] = computed.value
        self._explain(kpi, computed)

    def _explain(self, kpi, computed):
        if "value" in self.fields:
            # The admin shows help text unescaped: escape the officer-entered unit.
            self.fields["value"].help_text = format_html(
                "From the system's records: {} {}. {} Confirm it, or correct it and say why in "
                "the commentary.",
                measures.number(computed.value),
                kpi.unit,
                computed.note,
            )

    def clean_period(self):
        quarter = parse_quarter(self.cleaned_data["period"])
        if quarter is None:
            raise forms.ValidationError("Choose a quarter from the list")
        return quarter

    def clean(self):
        cleaned = super().clean()
        quarter, kpi = cleaned.get("period"), cleaned.get("kpi")
        if quarter:
            self.instance.financial_year = quarter.year
            self.instance.quarter = quarter.number
        computed = None
        if isinstance(quarter, Quarter) and kpi and kpi.measure:
            # Counted again now: records may have come in since the form was opened.
            computed = measures.compute_one(kpi, quarter)
            if computed:
                self._explain(kpi, computed)
        self._taken = None
        if isinstance(quarter, Quarter) and kpi:
            # Checked here, not only by the unique constraint: with who sent the other one.
            self._taken = services.existing_return(
                kpi=kpi, quarter=quarter, exclude_pk=self.instance.pk, lock=True
            )
            if self._taken is not None:
                self.add_error(None, taken_message(self._taken))
        self.instance.computed_value = computed.value if computed else None
        self.instance.computed_note = computed.note if computed else ""
        value = cleaned.get("value")
        if (
            computed
            and value is not None
            and value != computed.value
            and not (cleaned.get("commentary") or "").strip()
        ):
            self.add_error(
                "commentary",
                f"Say why your figure differs from the {measures.number(computed.value)} "
                f"{kpi.unit} the system's records show",
            )
        return cleaned

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if isinstance(self.cleaned_data.get("period"), Quarter) and not getattr(
            self, "_taken", None
        ):
            # The quarter comes from `period`: still check "one return per KPI per quarter".
            exclude -= {"financial_year", "quarter"}
        return exclude


class PrivateFileInput(ClearableFileInput):
    """File input whose current file links to the staff-only download, never to MEDIA_URL."""

    template_name = "partners/widgets/private_file.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        instance = getattr(value, "instance", None)
        if context["widget"]["is_initial"] and instance is not None and instance.pk:
            context["widget"]["download_url"] = reverse(
                "admin:partners_document_download", args=[instance.pk]
            )
            context["widget"]["original_name"] = instance.original_name
        return context
