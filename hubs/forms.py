import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils import timezone

from core.csvfiles import CSVFileError, read_csv
from core.forms import GovUKForm, GovUKModelForm
from core.reports import ReportFilterForm
from core.widgets import GovUKDateInput
from hubs.models import AGE_BANDS, Activity, Engagement, Hub
from partners.models import Organisation

REFERRAL_ROWS = 3
NUMBER = {"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-4"}


def _number_widget():
    return forms.TextInput(attrs=dict(NUMBER))


class ActivityChoiceField(forms.ModelChoiceField):
    show_hub = False
    today = None  # a weekday: its sessions are labelled with their time

    def label_from_instance(self, obj):
        label = f"{obj.name} ({obj.hub.name})" if self.show_hub else obj.name
        if obj.weekday == self.today:
            label += f", today {obj.start_time:%H:%M}"
        return label


class EngagementForm(GovUKModelForm):
    """One session's headcount, at one of the user's hubs (the phone form and CSV rows)."""

    class Meta:
        model = Engagement
        fields = [
            "hub",
            "activity",
            "date",
            "people",
            "new_people",
            *[name for name, _ in AGE_BANDS],
            "partner_present",
            "notes",
        ]
        field_classes = {"activity": ActivityChoiceField}
        labels = {
            "hub": "Hub",
            "activity": "Activity",
            "date": "Date of the session",
            "people": "How many people came?",
            "new_people": "How many of them were new to the hub?",
            "partner_present": "Voluntary or community organisation present",
            **dict(AGE_BANDS),
        }
        help_texts = {
            "people": "Count everyone who took part, including children",
            "activity": "",
        }
        error_messages = {
            "hub": {
                "required": "Choose the hub",
                "invalid_choice": "Choose one of your hubs",
            },
            "activity": {"invalid_choice": "Choose an activity at one of your hubs"},
            "date": {"required": "Enter the date of the session", "invalid": "Enter a real date"},
            "people": {
                "required": "Enter how many people came",
                "invalid": "Enter the number of people as a whole number, like 12",
            },
            "new_people": {"invalid": "Enter the number of new people as a whole number"},
            "partner_present": {"invalid_choice": "Choose an organisation from the list"},
            **{
                name: {"invalid": f"Enter the number aged {label.lower()} as a whole number"}
                for name, label in AGE_BANDS
            },
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "people": _number_widget(),
            "new_people": _number_widget(),
            **{name: _number_widget() for name, _ in AGE_BANDS},
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        hubs = Hub.objects.for_user(user)
        self.fields["hub"].queryset = hubs
        self.fields["hub"].empty_label = "Choose a hub"
        activities = Activity.objects.for_user(user).filter(is_active=True).select_related("hub")
        self.fields["activity"].queryset = activities
        self.fields["activity"].empty_label = "Drop-in or other"
        self.fields["activity"].required = False
        organisations = Organisation.objects.filter(is_active=True)
        self.fields["partner_present"].queryset = organisations
        self.fields["partner_present"].empty_label = "None"
        for name, _ in AGE_BANDS:
            self.fields[name].required = False
        self.fields["new_people"].required = False
        for i in range(1, REFERRAL_ROWS + 1):
            self.fields[f"referral_org_{i}"] = forms.ModelChoiceField(
                queryset=organisations,
                required=False,
                label=f"Referral {i}: organisation",
                empty_label="None",
                error_messages={"invalid_choice": "Choose an organisation from the list"},
            )
            self.fields[f"referral_count_{i}"] = forms.IntegerField(
                required=False,
                min_value=1,
                label=f"Referral {i}: number of people",
                widget=_number_widget(),
                error_messages={
                    "invalid": "Enter the number of people referred as a whole number",
                    "min_value": "Enter at least 1 person referred",
                },
            )
        if not self.is_bound and "date" not in self.initial:
            self.initial["date"] = timezone.localdate()
        for name in ("people", "new_people", *[n for n, _ in AGE_BANDS]):
            self.fields[name].min_value = 0
            self.fields[name].validators = [
                v for v in self.fields[name].validators if not isinstance(v, MinValueValidator)
            ]
            self.fields[name].validators.append(_not_negative)

    def clean_new_people(self):
        return self.cleaned_data.get("new_people") or 0

    def clean(self):
        cleaned = super().clean()
        for name, _ in AGE_BANDS:
            cleaned[name] = cleaned.get(name) or 0
        seen = set()
        people = cleaned.get("people")
        for i in range(1, REFERRAL_ROWS + 1):
            org = cleaned.get(f"referral_org_{i}")
            count = cleaned.get(f"referral_count_{i}")
            if org and count is None and f"referral_count_{i}" not in self.errors:
                self.add_error(
                    f"referral_count_{i}", f"Enter how many people you referred to {org}"
                )
            elif count and not org:
                self.add_error(
                    f"referral_org_{i}", "Choose the organisation you referred people to"
                )
            elif org and org.pk in seen:
                self.add_error(f"referral_org_{i}", f"{org} is already in an earlier referral")
            elif org and count and people and count > people:
                self.add_error(
                    f"referral_count_{i}",
                    "The number referred cannot be more than the number of people",
                )
            if org:
                seen.add(org.pk)
        return cleaned

    def referral_list(self):
        return [
            (self.cleaned_data[f"referral_org_{i}"], self.cleaned_data[f"referral_count_{i}"])
            for i in range(1, REFERRAL_ROWS + 1)
            if self.cleaned_data.get(f"referral_org_{i}")
        ]

    def ages_open(self):
        """Show the ages section open when it has errors or values."""
        return any(
            self[n].errors or self[n].value() not in (None, "", 0, "0") for n, _ in AGE_BANDS
        )

    def referrals_open(self):
        return any(
            self[f"referral_{part}_{i}"].errors or self[f"referral_{part}_{i}"].value()
            for i in range(1, REFERRAL_ROWS + 1)
            for part in ("org", "count")
        )

    def referral_rows(self):
        return [
            (self[f"referral_org_{i}"], self[f"referral_count_{i}"])
            for i in range(1, REFERRAL_ROWS + 1)
        ]


def _not_negative(value):
    if value is not None and value < 0:
        raise ValidationError("Enter a number that is 0 or more", code="negative")


class LogSessionForm(EngagementForm):
    """The phone form: with one hub, the hub is fixed and activities need no hub name."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["date"].widget = GovUKDateInput()
        self.fields["date"].help_text = "For example, 27 3 2026"
        self.hubs = list(self.fields["hub"].queryset)
        self.several_hubs = len(self.hubs) > 1
        self.fields["activity"].show_hub = self.several_hubs
        if len(self.hubs) == 1:
            # The queryset still limits what a forged POST may choose.
            self.fields["hub"].widget = forms.HiddenInput()
            self.initial["hub"] = self.hubs[0].pk
        # At the door: today's sessions first, and the one on now (or just gone) chosen.
        now = timezone.localtime()
        activity = self.fields["activity"]
        activity.queryset = activity.queryset.today_first(now.date())
        activity.today = now.weekday()
        if not self.is_bound and "activity" not in self.initial:
            self.initial["activity"] = self.session_on_now(now)
        self.fields["people"].widget.attrs["data-tally"] = "people"
        # Set by the "Save anyway" button after the warning about a session saved already.
        self.fields["save_anyway"] = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def session_on_now(self, now):
        """Today's session that has started most recently (else the next one), at a hub the
        user coordinates; None when nothing is on today."""
        today = [a for a in self.fields["activity"].queryset if a.weekday == now.weekday()]
        started = [a for a in today if a.start_time <= now.time()]
        chosen = started[-1] if started else (today[0] if today else None)
        return chosen.pk if chosen else None

    def saved_already(self):
        """A session saved already that looks like this one (Engagement.objects.like)."""
        data = self.cleaned_data
        if data.get("save_anyway") or not data.get("hub"):
            return None
        activity = data.get("activity")
        like = Engagement.objects.like(
            hub_id=data["hub"].pk, activity_id=activity.pk if activity else None, date=data["date"]
        )
        return like.select_related("activity", "created_by").order_by("-created").first()


class HubReportFilterForm(ReportFilterForm):
    """The report dates, and one hub of `hubs` (or all of them)."""

    hub = forms.ModelChoiceField(
        queryset=Hub.objects.none(),
        required=False,
        empty_label="All hubs",
        error_messages={"invalid_choice": "Choose one of your hubs"},
    )
    field_order = ["hub", "start", "end"]

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = hubs


# --- CSV import -----------------------------------------------------------------------------

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
REQUIRED_COLUMNS = ["date", "hub", "people"]
OPTIONAL_COLUMNS = [
    "activity",
    "new_people",
    *[name for name, _ in AGE_BANDS],
    "partner_present",
    "referrals",
    "notes",
]
IMPORT_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


class ImportForm(GovUKForm):
    file = forms.FileField(
        label="CSV file",
        help_text="Saved as CSV (UTF-8) from a spreadsheet, with a header row",
        error_messages={"required": "Choose a CSV file", "empty": "The file is empty"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.row_forms = []
        self.row_errors = []  # (row number, [messages])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError("The file must be smaller than 2 MB")
        try:
            table = read_csv(
                upload, max_rows=MAX_IMPORT_ROWS, clean_header=lambda h: h.strip().lower()
            )
        except CSVFileError as exc:
            raise ValidationError(str(exc)) from exc
        header, rows = table.header, table.rows
        if not header:
            raise ValidationError("The file is empty")
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        unknown = [c for c in header if c not in IMPORT_COLUMNS]
        if missing or unknown:
            parts = []
            if missing:
                parts.append(f"missing columns: {', '.join(missing)}")
            if unknown:
                parts.append(f"unknown columns: {', '.join(unknown)}")
            raise ValidationError(f"The header row has {'; '.join(parts)}")
        if len(rows) > MAX_IMPORT_ROWS:
            raise ValidationError(f"The file must have {MAX_IMPORT_ROWS} rows or fewer")
        if not rows:
            raise ValidationError("The file has a header row but no sessions")
        return rows

    def clean(self):
        cleaned = super().clean()
        rows = cleaned.get("file")
        if not rows:
            return cleaned
        lookups = _ImportLookups(self.user)
        for number, row in enumerate(rows, start=2):  # row 1 is the header
            data, problems = lookups.row_data(row)
            form = EngagementForm(data=data, user=self.user)
            if form.is_valid() and not problems:
                self.row_forms.append(form)
                continue
            messages = [f"{field}: {problem}" for field, problem in problems.items()] + [
                f"{_column_label(field)}: {error}" if field != "__all__" else error
                for field, errors in form.errors.items()
                for error in errors
                if _column_label(field) not in problems
            ]
            self.row_errors.append((number, messages))
        if self.row_errors:
            raise ValidationError(
                f"{len(self.row_errors)} of {len(rows)} rows have problems. "
                "Nothing was imported: correct the rows below and upload the file again."
            )
        return cleaned


def _column_label(field):
    if field.startswith("referral_"):
        return "referrals"
    return field


class _ImportLookups:
    """Resolves names in the CSV to ids with three queries for the whole file."""

    def __init__(self, user):
        self.hubs = {h.slug: h for h in Hub.objects.for_user(user)}
        self.activities = {
            (a.hub_id, a.name.strip().lower()): a for a in Activity.objects.for_user(user)
        }
        self.organisations = {o.slug: o for o in Organisation.objects.filter(is_active=True)}

    def row_data(self, row):
        get = {k: (v or "").strip() for k, v in row.items() if k}
        problems = {}
        data = {name: get.get(name, "") for name in IMPORT_COLUMNS}
        data["date"] = _parse_date(get.get("date", ""))
        hub = self.hubs.get(get.get("hub", "").lower())
        if get.get("hub") and hub is None:
            problems["hub"] = f"'{get['hub']}' is not one of your hubs"
        data["hub"] = hub.pk if hub else ""
        if get.get("activity"):
            activity = hub and self.activities.get((hub.pk, get["activity"].lower()))
            if activity:
                data["activity"] = activity.pk
            else:
                data["activity"] = ""
                if hub:
                    problems["activity"] = f"'{get['activity']}' is not an activity at {hub}"
        if get.get("partner_present"):
            org = self.organisations.get(get["partner_present"].lower())
            data["partner_present"] = org.pk if org else ""
            if not org:
                problems["partner_present"] = (
                    f"no organisation with the short name '{get['partner_present']}'"
                )
        referrals = [p for p in get.get("referrals", "").split(";") if p.strip()]
        if len(referrals) > REFERRAL_ROWS:
            problems["referrals"] = f"at most {REFERRAL_ROWS} organisations a row"
        for i, part in enumerate(referrals[:REFERRAL_ROWS], start=1):
            slug, _, count = part.strip().partition(":")
            org = self.organisations.get(slug.strip().lower())
            if not org:
                problems["referrals"] = f"no organisation with the short name '{slug.strip()}'"
                continue
            data[f"referral_org_{i}"] = org.pk
            data[f"referral_count_{i}"] = count.strip() or "1"
        return data, problems


def _parse_date(value):
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date().isoformat()  # noqa: DTZ007
        except ValueError:
            continue
    return value  # the form reports it as not a real date


class AssetMapForm(GovUKForm):
    """The asset map's choices: a category and a town (from the search filters' cached lists)
    and whether to show hubs."""

    category = forms.ChoiceField(
        label="Category",
        required=False,
        error_messages={"invalid_choice": "Choose a category from the list"},
    )
    town = forms.ChoiceField(
        label="Town",
        required=False,
        error_messages={"invalid_choice": "Choose a town from the list"},
    )
    hubs = forms.BooleanField(label="Show community hubs", required=False)

    def __init__(self, *args, terms, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.towns = {town.slug: town for town in towns}
        self.fields["town"].choices = [("", "Anywhere")] + [(t.slug, t.name) for t in towns]
        self.terms = {term.slug: term for term in terms}
        names = {term.pk: term.name for term in terms}
        choices = [
            (
                term.slug,
                f"{names.get(term.parent_id)}: {term.name}" if term.parent_id else term.name,
            )
            for term in terms
        ]
        self.fields["category"].choices = [
            ("", "All categories"),
            *sorted(choices, key=lambda choice: choice[1]),
        ]

    def clean_category(self):
        return self.terms.get(self.cleaned_data["category"])

    def clean_town(self):
        return self.towns.get(self.cleaned_data["town"])
