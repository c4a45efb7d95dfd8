"""Officers manage staff accounts: invite a coordinator to a hub or a partner contact to an
organisation, see who has signed in and set up two-factor sign-in, deactivate and reactivate.

Staff accounts span apps (hubs' coordinators, partners' contacts), so this lives in the project.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.generic import FormView, ListView, View
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.forms import GovUKForm
from config.staff import StaffPermissionRequiredMixin
from hubs.models import Hub, HubCoordinator
from partners.models import Organisation, PartnerMembership
from partners.roles import COORDINATOR, OFFICER, PARTNER_CONTACT, is_officer

ROLE_CHOICES = [
    (COORDINATOR, "Hub coordinator: logs sessions at one hub"),
    (PARTNER_CONTACT, "Partner contact: sees their organisation's agreements and returns"),
    (OFFICER, "Council officer: sees and manages everything"),
]


class OfficerRequiredMixin(StaffPermissionRequiredMixin):
    permission_required = "auth.view_user"

    def has_permission(self):
        return super().has_permission() and is_officer(self.request.user)


def staff_accounts():
    """Staff accounts with their roles, hubs, organisations and 2FA status: five queries."""
    return (
        User.objects.filter(is_staff=True)
        .annotate(
            has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .prefetch_related(
            Prefetch("groups", queryset=Group.objects.order_by("name")),
            Prefetch("hub_memberships", queryset=HubCoordinator.objects.select_related("hub")),
            Prefetch(
                "partner_memberships",
                queryset=PartnerMembership.objects.select_related("organisation"),
            ),
        )
        .order_by("-is_active", "last_name", "first_name", "username")
    )


class InviteForm(GovUKForm):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(help_text="They sign in with this address")
    role = forms.ChoiceField(choices=ROLE_CHOICES, widget=forms.RadioSelect)
    hub = forms.ModelChoiceField(
        queryset=Hub.objects.order_by("name"),
        required=False,
        help_text="For a hub coordinator",
        empty_label="Choose a hub",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text="For a partner contact",
        empty_label="Choose an organisation",
    )

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(username__iexact=email).exists():
            raise ValidationError("There is already a staff account with this email address")
        return email

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role == COORDINATOR and not cleaned.get("hub"):
            self.add_error("hub", "Choose the hub they will coordinate")
        if role == PARTNER_CONTACT and not cleaned.get("organisation"):
            self.add_error("organisation", "Choose the organisation they work for")
        return cleaned


@transaction.atomic
def invite_staff(
    *,
    by: User,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    hub: Hub | None = None,
    organisation: Organisation | None = None,
    request=None,
) -> User:
    """Create a staff account with no password and email a link to choose one.

    The second factor is set up at first sign-in (officers and coordinators must).
    """
    user = User(
        username=email, email=email, first_name=first_name, last_name=last_name, is_staff=True
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get(name=role))
    if role == COORDINATOR and hub:
        HubCoordinator.objects.create(user=user, hub=hub)
    if role == PARTNER_CONTACT and organisation:
        PartnerMembership.objects.create(user=user, organisation=organisation)
    _log(by, user, f"Invited as {role}")

    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    url = request.build_absolute_uri(link) if request else link
    body = render_to_string(
        "accounts/invitation_email.txt",
        {
            "user": user,
            "url": url,
            "role": role,
            "hub": hub,
            "organisation": organisation,
            "invited_by": by,
        },
    )
    transaction.on_commit(
        lambda: send_mail("Your staff account", body, None, [email], fail_silently=False)
    )
    return user


def _log(by, user, message):
    """Record the change in the admin's history of the account (who, when, what)."""
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


class AccountListView(OfficerRequiredMixin, ListView):
    template_name = "accounts/list.html"
    context_object_name = "accounts"

    def get_queryset(self):
        return staff_accounts()


class InviteView(OfficerRequiredMixin, FormView):
    template_name = "accounts/invite.html"
    form_class = InviteForm

    def form_valid(self, form):
        user = invite_staff(by=self.request.user, request=self.request, **form.cleaned_data)
        messages.success(self.request, f"Invitation sent to {user.email}.")
        return redirect("accounts:list")


class SetActiveView(OfficerRequiredMixin, View):
    """POST only: deactivate (they can no longer sign in, at once) or reactivate an account."""

    http_method_names = ["post"]
    active = False

    def post(self, request, pk):
        account = get_object_or_404(User.objects.filter(is_staff=True), pk=pk)
        name = account.get_full_name() or account.username
        if account == request.user:
            messages.error(request, "You cannot deactivate your own account.")
        elif account.is_superuser and not request.user.is_superuser:
            messages.error(request, "Only a superuser can change a superuser's account.")
        else:
            User.objects.filter(pk=account.pk).update(is_active=self.active)
            _log(request.user, account, "Reactivated" if self.active else "Deactivated")
            state = "reactivated" if self.active else "deactivated: they can no longer sign in"
            messages.success(request, f"{name} {state}.")
        return redirect("accounts:list")
