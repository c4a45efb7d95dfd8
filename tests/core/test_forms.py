"""The GOV.UK form renderer: labels, hints, error messages and error classes."""

from django import forms

from core.forms import GovUKForm


class ContactForm(GovUKForm):
    name = forms.CharField(help_text="Your full name")
    how = forms.ChoiceField(
        choices=[("email", "Email"), ("phone", "Phone")], widget=forms.RadioSelect
    )
    agree = forms.BooleanField(label="I agree")


def test_valid_field_renders_label_hint_and_govuk_input():
    html = str(ContactForm())

    assert '<label class="govuk-label govuk-label--s" for="id_name">Name</label>' in html
    assert 'id="id_name_helptext" class="govuk-hint"' in html
    assert 'class="govuk-input"' in html
    assert 'aria-describedby="id_name_helptext"' in html
    assert "govuk-error-message" not in html


def test_invalid_form_shows_error_messages_linked_to_fields():
    form = ContactForm(data={"name": "", "how": "fax"})

    assert not form.is_valid()
    html = str(form)
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'id="id_name_error" class="govuk-error-message"' in html
    assert "govuk-form-group--error" in html
    assert "Select a valid choice" in html


def test_radios_render_in_a_fieldset_with_legend():
    html = str(ContactForm())

    assert '<fieldset class="govuk-fieldset"' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">How</legend>' in html
    assert 'class="govuk-radios__input" type="radio" name="how" value="email" id="id_how_0"' in html
    assert 'class="govuk-checkboxes__input"' in html  # the single "I agree" checkbox
