"""Upload forms: the file and what it describes. Reading the file is wards.uploads'."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from core.forms import GovUKForm
from wards import uploads
from wards.models import Indicator

YES_NO = [(True, "Yes"), (False, "No")]


def _year_field():
    return forms.IntegerField(
        label="Year",
        help_text="The year the figures describe, for example 2022",
        min_value=1800,
        max_value=2200,
        error_messages={
            "required": "Enter the year the figures describe",
            "invalid": "Enter the year as a number, like 2022",
            "min_value": "Enter a year from 1800",
            "max_value": "Enter a year up to 2200",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
    )


def _source_field(example):
    return forms.CharField(
        label="Source",
        help_text=f"Who published the figures, and where: for example {example}",
        max_length=300,
        error_messages={"required": "Enter where the figures come from"},
    )


class UploadForm(GovUKForm):
    file = forms.FileField(
        error_messages={"required": "Choose a file", "empty": "The file is empty"},
    )
    skip_unknown = forms.BooleanField(
        label="Leave out rows for wards that are not ours (for a file covering the country)",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = uploads.Problems()
        self.parsed = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.WARDS_UPLOAD_MAX_BYTES:
            raise ValidationError(
                f"The file must be smaller than {filesizeformat(settings.WARDS_UPLOAD_MAX_BYTES)}"
            )
        return upload

    def clean_text(self, name):
        return self.cleaned_data[name].strip()  # Django's field refuses NUL characters

    def read(self, upload, skip_unknown):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.parsed, self.problems = self.read(cleaned["file"], cleaned["skip_unknown"])
        except uploads.UploadError as exc:
            self.add_error("file", str(exc))
            return cleaned
        if self.problems:
            count = len(self.problems.rows)
            self.add_error(
                "file",
                f"{count} {self.unit}{'s' if count != 1 else ''} of the file "
                f"{'have' if count != 1 else 'has'} problems, listed below. Nothing was saved",
            )
        return cleaned


class FiguresUploadForm(UploadForm):
    unit = "row"
    kind = forms.ChoiceField(
        label="What the figures are",
        choices=Indicator.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the figures are"},
    )
    name = forms.CharField(
        label="Name of the indicator",
        help_text="For another indicator, for example Children in low-income families. "
        "Population and IMD are named for you if you leave this empty",
        max_length=100,
        required=False,
    )
    higher_is_need = forms.TypedChoiceField(
        label="Does a higher figure mean more need?",
        help_text="For another indicator: yes for loneliness, no for a life expectancy",
        choices=YES_NO,
        coerce=lambda v: v in (True, "True"),
        widget=forms.RadioSelect,
        initial=True,
        required=False,
    )
    source = _source_field("ONS mid-year population estimates, June 2022")
    year = _year_field()
    field_order = ["kind", "name", "higher_is_need", "source", "year", "file", "skip_unknown"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "CSV file"
        self.fields["file"].help_text = "Saved as CSV (UTF-8) from a spreadsheet, with a header row"

    def clean_name(self):
        return self.clean_text("name")

    def clean_source(self):
        return self.clean_text("source")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind and not cleaned.get("name"):
            if kind == Indicator.Kind.OTHER:
                self.add_error("name", "Enter the name of the indicator")
            else:
                cleaned["name"] = {
                    Indicator.Kind.POPULATION: "Population",
                    Indicator.Kind.IMD_DECILE: "IMD decile",
                    Indicator.Kind.IMD_RANK: "IMD rank",
                }[kind]
        if kind != Indicator.Kind.OTHER:
            # More people, a lower decile or rank: always more need.
            cleaned["higher_is_need"] = kind == Indicator.Kind.POPULATION
        elif cleaned.get("higher_is_need") is None:
            cleaned["higher_is_need"] = True
        return cleaned

    def read(self, upload, skip_unknown):
        kind = self.cleaned_data.get("kind")
        if not kind:
            raise uploads.UploadError("Choose what the figures are, then send the file again")
        return uploads.read_figures(upload, kind=kind, skip_unknown=skip_unknown)


class BoundariesUploadForm(UploadForm):
    unit = "feature"
    source = _source_field("ONS Open Geography Portal, Wards (May 2024) Boundaries UK BGC")
    year = _year_field()
    field_order = ["source", "year", "file", "skip_unknown"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "GeoJSON file"
        self.fields[
            "file"
        ].help_text = "Ward boundaries in longitude and latitude (WGS84), one feature per ward"
        self.fields[
            "year"
        ].help_text = f"The year of the boundaries, for example {timezone.now():%Y}"
        self.fields[
            "skip_unknown"
        ].label = "Leave out features for wards that are not ours (for a file covering the country)"

    def clean_source(self):
        return self.clean_text("source")

    def read(self, upload, skip_unknown):
        return uploads.read_boundaries(upload, skip_unknown=skip_unknown)
