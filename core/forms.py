"""One GOV.UK Design System renderer for every public form.

Public forms inherit `GovUKFormMixin`; the Django admin keeps its own look.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

from core.validators import WebAddressValidator, validate_web_address

# widget_type -> GOV.UK class on the control itself (fieldset widgets style their options).
WIDGET_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "url": "govuk-input",
    "number": "govuk-input",
    "password": "govuk-input",
    "date": "govuk-input",
    "time": "govuk-input",
    "search": "govuk-input",
    "tel": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}


class GovUKBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        css = WIDGET_CLASSES.get(self.widget_type)
        if css:
            classes = [attrs.get("class", ""), css]
            if self.errors and css != "govuk-checkboxes__input":
                classes.append(f"{css}--error")
            attrs["class"] = " ".join(c for c in classes if c)
        return attrs


class GovUKFormRenderer(TemplatesSetting):
    form_template_name = "includes/forms/form.html"
    field_template_name = "includes/forms/field.html"
    bound_field_class = GovUKBoundField


class GovUKFormMixin:
    """Renders with GOV.UK markup: labels, hints, error messages, radios and checkboxes."""

    default_renderer = GovUKFormRenderer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            # CheckboxSelectMultiple is a subclass of RadioSelect: test it first, or a
            # "select all that apply" question renders as radios and keeps one answer.
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.template_name = "includes/forms/checkboxes.html"
            elif isinstance(widget, forms.RadioSelect):
                widget.template_name = "includes/forms/radios.html"
            _specific_messages(field)


def _specific_messages(field) -> None:
    """GOV.UK error messages say what to do about this question: Django's "This field is
    required." repeated down an error summary tells a resident nothing. A form's own message
    wins; these are the fallback, from the question's label."""
    messages = field.error_messages
    label = str(field.label or "").strip().rstrip("?")
    label = label[:1].lower() + label[1:]
    if messages.get("required") == forms.Field.default_error_messages["required"] and label:
        choosing = isinstance(field, (forms.ChoiceField, forms.ModelChoiceField))
        ticking = isinstance(field, forms.BooleanField)
        verb = "Tick" if ticking else "Select" if choosing else "Enter"
        messages["required"] = f"{verb} {label}"
    if isinstance(field, forms.EmailField):
        # Replaces the validator's "Enter a valid email address." (Field.run_validators).
        messages.setdefault(
            "invalid", "Enter an email address in the correct format, like name@example.com"
        )


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass


HONEYPOT_FIELD = "website_url"


class HoneypotMixin:
    """A field people never see (hidden by CSS and from screen readers); bots fill it in.

    A filled-in honeypot makes the form invalid with a bland message, so a bot learns nothing.
    """

    honeypot_message = "Your submission could not be accepted. Please try again."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False,
            label="Leave this field empty",
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            raise forms.ValidationError(self.honeypot_message, code="honeypot")
        return cleaned


class PublicForm(HoneypotMixin, GovUKForm):
    """Base for public forms: GOV.UK markup and a honeypot. Views also apply the rate limit."""


class PublicModelForm(HoneypotMixin, GovUKModelForm):
    """Base for public model forms: GOV.UK markup and a honeypot."""


class WebAddressField(forms.URLField):
    """A web address residents or partners give us: "example.org" reads as https://, and only
    addresses we could publish as a link pass (core.validators.WebAddressValidator)."""

    default_validators = [validate_web_address]
    default_error_messages = {"invalid": WebAddressValidator.message}

    def __init__(self, *, assume_scheme="https", **kwargs):
        super().__init__(assume_scheme=assume_scheme, **kwargs)


def plain_digits(text: str) -> bool:
    """Only 0-9. str.isdigit() alone also accepts "²" and other Unicode digits, which int()
    refuses (a ValueError, so a 500)."""
    return text.isascii() and text.isdigit()


def valid_pk(value) -> int | None:
    """An integer primary key from a URL or a form, or None for anything a database would
    refuse (letters, or a number too big for a bigint)."""
    text = str(value or "")
    if not plain_digits(text) or len(text) > 18:
        return None
    return int(text)


def page_number(text) -> int:
    """?page= as a positive integer; anything else is page 1."""
    text = (text or "").strip()
    return int(text) if plain_digits(text) and len(text) < 7 and int(text) > 0 else 1


def holdable(field, value) -> bool:
    """Whether a related record's key field could hold `value` at all."""
    if isinstance(field, models.IntegerField):  # AutoField and BigAutoField too
        return valid_pk(value) is not None
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses keys no database could hold with the field's own message, before Django's
    IN (...) lookup of them fails with a 500 (a number past the bigint range on SQLite).
    The staff admin's many-to-many fields and the public forms' checkbox lists use it."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        target = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        for key in value:
            if not holdable(target, key):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        return super()._check_values(value)
