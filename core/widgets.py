import datetime

from django import forms

from core.forms import plain_digits


class GovUKDateInput(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes, read back as YYYY-MM-DD text.

    A partly filled or impossible date reaches the DateField as text it cannot parse, so the
    field reports "Enter a real date" rather than guessing.
    """

    template_name = "includes/forms/date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        number = {"inputmode": "numeric", "spellcheck": "false"}
        super().__init__(
            {
                "day": forms.TextInput(attrs=number),
                "month": forms.TextInput(attrs=number),
                "year": forms.TextInput(attrs=number),
            },
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (
            str(part or "").strip() for part in super().value_from_datadict(data, files, name)
        )
        if not (day or month or year):
            return ""
        if plain_digits(day) and plain_digits(month) and plain_digits(year) and len(year) == 4:
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{month}-{day}!"  # never a valid date

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["invalid"] = bool((attrs or {}).get("aria-invalid"))
        labels = ("Day", "Month", "Year")
        widths = (2, 2, 4)
        for sub, label, width in zip(context["widget"]["subwidgets"], labels, widths, strict=True):
            sub["label"] = label
            sub["width"] = width
        return context
