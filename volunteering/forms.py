from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator

from core.forms import CheckedModelMultipleChoiceField, PublicModelForm
from directory.models import Area
from volunteering.models import Interest, Skill, normalise_phone

MESSAGE_LENGTH = 2000
CONTACT_MESSAGES = {
    "name": {
        "required": "Enter your name",
        "max_length": "Enter a name of 100 characters or fewer",
    },
    "email": {"invalid": "Enter an email address in the correct format, like name@example.com"},
    "phone": {"max_length": "Enter a phone number like 01268 123456 or 07700 900123"},
}


class ContactDetailsMixin:
    """Name, email and/or phone, and consent to store and share them for this purpose."""

    consent_label = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].widget.attrs.update(autocomplete="name", spellcheck="false")
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["email"].help_text = "We will only use this to put you in touch"
        self.fields["phone"].widget = forms.TextInput(
            attrs={"autocomplete": "tel", "type": "tel", "class": "govuk-input--width-20"}
        )
        self.fields["phone"].help_text = "Give an email address, a phone number, or both"
        self.fields["message"].validators.append(
            MaxLengthValidator(
                MESSAGE_LENGTH, message=f"Write {MESSAGE_LENGTH} characters or fewer"
            )
        )
        self.fields["message"].widget = forms.Textarea(attrs={"rows": 4})
        self.fields["consent"] = forms.BooleanField(
            label=self.consent_label,
            help_text="You can ask us to delete your details at any time. "
            f"We delete them {settings.VOLUNTEERING_RETENTION_MONTHS} months after your "
            "last contact with us.",
            error_messages={"required": "Tick the box to agree, so we can pass on your details"},
        )
        self.order_fields([*self.Meta.fields, "consent"])

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone") or "")

    def clean(self):
        cleaned = super().clean()
        if (
            not self.has_error("email")
            and not self.has_error("phone")
            and not cleaned.get("email")
            and not cleaned.get("phone")
        ):
            self.add_error("email", "Enter an email address or a phone number, so we can reply")
        return cleaned

    def _post_clean(self):
        # Model validation would repeat our messages ("Give an email address..."): the form
        # already said it, on the field.
        if self.has_error("email"):
            return
        super()._post_clean()


class ExpressInterestForm(ContactDetailsMixin, PublicModelForm):
    class Meta:
        model = Interest
        fields = ["name", "email", "phone", "message"]
        labels = {"message": "Anything you would like the organisation to know"}
        help_texts = {"message": "For example, when you are free, or any questions"}
        error_messages = CONTACT_MESSAGES

    def __init__(self, *args, role, **kwargs):
        self.consent_label = (
            f"I agree that {settings.COUNCIL_NAME} may store my details and share them with "
            f"{role.organisation.name} so they can contact me about this role"
        )
        super().__init__(*args, **kwargs)


class GeneralInterestForm(ContactDetailsMixin, PublicModelForm):
    """ "I'd like to help": not tied to a role; an officer matches them to something."""

    availability = forms.MultipleChoiceField(
        label="When could you help?",
        choices=Interest.Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose from the list"},
    )

    class Meta:
        model = Interest
        fields = ["name", "email", "phone", "skills", "areas", "availability", "message"]
        labels = {
            "skills": "What could you help with?",
            "areas": "Where could you help?",
            "message": "Tell us anything else",
        }
        help_texts = {
            "skills": "Select all that apply, or none if you are not sure",
            "areas": "Select all that apply",
            "message": "For example, what you enjoy, or anything you need to take part",
        }
        widgets = {"skills": forms.CheckboxSelectMultiple, "areas": forms.CheckboxSelectMultiple}
        field_classes = {
            "skills": CheckedModelMultipleChoiceField,
            "areas": CheckedModelMultipleChoiceField,
        }
        error_messages = {
            **CONTACT_MESSAGES,
            "skills": {"invalid_choice": "Choose skills from the list", "invalid_pk_value": ""},
            "areas": {"invalid_choice": "Choose places from the list", "invalid_pk_value": ""},
        }

    consent_label = (
        f"I agree that {settings.COUNCIL_NAME} may store my details and share them with "
        "local organisations that could offer me a volunteering role"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = Area.objects.filter(kind=Area.Kind.TOWN)
        self.fields["skills"].queryset = Skill.objects.all()
        for name in ("skills", "areas"):
            self.fields[name].error_messages["invalid_pk_value"] = "Choose from the list"
