"""Sign-in, two-factor set-up and sign-out, made to work on a phone.

django-two-factor-auth's views with our wording and fields: the code field is a text field
labelled "6-digit code" that phones fill from an SMS-style suggestion or the app
(autocomplete="one-time-code", numeric keypad); set-up offers an otpauth:// link for the
authenticator app on the same phone (a QR code cannot be scanned from the phone showing it)
and the key in groups of four that wrap at 320 px; after set-up the user goes on to the page
they asked for (`next`, checked by the package with url_has_allowed_host_and_scheme).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from two_factor.utils import get_otpauth_url, totp_digits
from two_factor.views import core as two_factor

CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "spellcheck": "false",
    "autocapitalize": "off",
    "class": "govuk-input--width-5",
}


def _phone_code_field(form, name: str, label: str) -> None:
    """A text field (a number field drops leading zeros and shows a spinner)."""
    field = form.fields.get(name)
    if field is not None:
        field.label = label
        field.widget = forms.TextInput(attrs=dict(CODE_ATTRS))


def grouped(key: str, size: int = 4) -> str:
    """ "JBSWY3DPEHPK3PXP" -> "JBSW Y3DP EHPK 3PXP": easier to copy by hand, and it wraps."""
    return " ".join(key[i : i + size] for i in range(0, len(key), size))


class LoginView(two_factor.LoginView):
    def get_form(self, step=None, **kwargs):
        form = super().get_form(step, **kwargs)
        if (step or self.steps.current) == self.TOKEN_STEP:
            _phone_code_field(form, "otp_token", f"{totp_digits()}-digit code")
        elif (step or self.steps.current) == self.BACKUP_STEP:
            form.fields["otp_token"].label = "Backup code"
        return form


class SetupView(two_factor.SetupView):
    def get_form(self, step=None, **kwargs):
        form = super().get_form(step, **kwargs)
        _phone_code_field(form, "token", f"{totp_digits()}-digit code")
        return form

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form, **kwargs)
        if "secret_key" in context:
            context["otpauth_url"] = get_otpauth_url(
                self.request.user.get_username(), context["secret_key"], settings.SITE_NAME
            )
            context["key_groups"] = grouped(context["secret_key"])
        return context

    def done(self, form_list, **kwargs):
        response = super().done(form_list, **kwargs)
        if self.get_redirect_url():  # straight on: say where the backup codes are
            messages.success(
                self.request,
                "Two-factor sign-in is set up. You can get backup codes from Account security.",
            )
        return response


class QRGeneratorView(two_factor.QRGeneratorView):
    def get_issuer(self):
        return settings.SITE_NAME  # as in the otpauth:// link, not the sites framework's name


class SignOutView(auth_views.LogoutView):
    """POST only (Django's), then the sign-in page saying so."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have signed out.")
        return response
