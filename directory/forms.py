from django import forms

from core.forms import (
    CheckedModelMultipleChoiceField,
    PublicForm,
    PublicModelForm,
    WebAddressField,
)
from directory.models import Suggestion, TaxonomyTerm
from directory.models.feedback import COMMENT_MAX_LENGTH
from directory.postcodes import normalise_postcode


class SuggestionForm(PublicModelForm):
    """Suggest a new listing. Officers check it before anything is published."""

    url = WebAddressField(label="Website", required=False)

    class Meta:
        model = Suggestion
        fields = [
            "name",
            "organisation_name",
            "description",
            "categories",
            "when",
            "address",
            "postcode",
            "cost",
            "access",
            "url",
            "email",
            "phone",
            "submitter_name",
            "submitter_email",
        ]
        field_classes = {"categories": CheckedModelMultipleChoiceField}
        error_messages = {
            "name": {"required": "Enter the name of the service or group"},
            "description": {"required": "Describe what the service or group offers"},
            "categories": {
                "invalid_choice": "Choose categories from the list",
                "invalid_pk_value": "Choose categories from the list",
            },
        }
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "cost": forms.RadioSelect,
            "access": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "when": "For example, Tuesdays 10am to midday, term time only",
            "address": "The venue and street",
            "submitter_email": "Only if you are happy for us to contact you about this suggestion",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].required = True
        self.fields["categories"].queryset = TaxonomyTerm.objects.filter(parent=None)
        self.fields["categories"].label = "What kind of help or activity is it?"
        for name in ("cost", "access"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["submitter_name"].widget.attrs["autocomplete"] = "name"
        self.fields["submitter_email"].widget.attrs["autocomplete"] = "email"
        for name in ("name", "organisation_name", "address", "when"):
            self.fields[name].widget.attrs.setdefault("spellcheck", "true")

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode", "")
        return normalise_postcode(value) if value else ""


class ReportChangeForm(PublicModelForm):
    """Report a problem with, or a change to, an existing listing."""

    url = WebAddressField(label="Correct website", required=False)

    class Meta:
        model = Suggestion
        fields = ["details", "when", "url", "email", "phone", "submitter_name", "submitter_email"]
        widgets = {"details": forms.Textarea(attrs={"rows": 5})}
        labels = {
            "when": "Correct days and times",
            "url": "Correct website",
            "email": "Correct email",
            "phone": "Correct phone number",
        }
        error_messages = {"details": {"required": "Describe what needs to change"}}
        help_texts = {
            "details": "For example, it has moved, the times have changed, or it has closed",
            "when": "Only if they have changed",
            "submitter_email": "Only if you are happy for us to contact you about this report",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["details"].required = True
        self.fields["submitter_name"].widget.attrs["autocomplete"] = "name"
        self.fields["submitter_email"].widget.attrs["autocomplete"] = "email"


class FeedbackForm(PublicForm):
    """'Was this page useful?' on a service page. Asks for nothing about the person."""

    useful = forms.TypedChoiceField(
        label="Was this page useful?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if this page was useful",
            "invalid_choice": "Select yes if this page was useful",
        },
    )
    comment = forms.CharField(
        label="How could we improve it? (optional)",
        help_text=(
            "Do not include personal information, such as your name, email address or phone number."
        ),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "true"}),
        error_messages={"max_length": "Comment must be %(limit_value)d characters or fewer"},
    )
