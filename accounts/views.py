"""Officers manage staff accounts: invite a coordinator to a hub or a partner contact to an
organisation, see who has signed in and set up two-factor sign-in, deactivate and reactivate,
see locked sign-ins and lift a lock. Staff reset a forgotten password (rate limited).

Staff accounts span apps (hubs' coordinators, partners' contacts), so this lives in the project.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.views.generic import FormView, ListView, TemplateView, View
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.forms import GovUKForm
from core.ratelimit import Rate, RateLimitedFormMixin, hit
from core.roles import COORDINATOR, OFFICER, PARTNER_CONTACT
from core.scope import scope_of
from core.staff import StaffPermissionRequiredMixin
from hubs.models import Hub, HubCoordinator
from partners.models import Organisation, PartnerMembership

log = logging.getLogger(__name__)

ROLE_CHOICES = [
    (COORDINATOR, "Hub coordinator: logs sessions at one hub"),
    (PARTNER_CONTACT, "Partner contact: sees their organisation's agreements and returns"),
    (OFFICER, "Council officer: sees and manages everything"),
]


class OfficerRequiredMixin(StaffPermissionRequiredMixin):
    permission_required = "auth.view_user"

    def has_permission(self):
        return super().has_permission() and scope_of(self.request.user).is_officer


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


# --- Locked sign-ins (django-axes) -----------------------------------------------------------


@dataclass(frozen=True)
class SignInLock:
    username: str | None
    ip_address: str | None
    failures: int
    unlocks_at: datetime


def sign_in_locks(now: datetime | None = None) -> list[SignInLock]:
    """Username and IP pairs locked now (AXES_LOCKOUT_PARAMETERS), soonest to unlock first.

    Axes counts a pair's failures recorded within the cool-off (one row per user agent, each
    timed by its latest failure); the pair is locked while they reach the failure limit, so it
    unlocks when the row that brings the newest rows' total to the limit drops out.
    """
    now = now or timezone.now()
    cool_off = get_cool_off()
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
        .order_by("-attempt_time")
        .values_list("username", "ip_address", "failures_since_start", "attempt_time")
    )
    totals, locks = {}, {}
    for username, ip_address, failures, attempt_time in rows:
        pair = (username, ip_address)
        totals[pair] = totals.get(pair, 0) + failures
        if pair not in locks and totals[pair] >= settings.AXES_FAILURE_LIMIT:
            locks[pair] = attempt_time + cool_off
    return sorted(
        (SignInLock(*pair, totals[pair], unlocks_at) for pair, unlocks_at in locks.items()),
        key=lambda lock: (lock.unlocks_at, lock.username or "", lock.ip_address or ""),
    )


@transaction.atomic
def lift_sign_in_lock(*, by: User, username: str | None, ip_address: str | None) -> int:
    """Forget the failed sign-ins of one username from one IP, so they can sign in at once.

    Returns how many records went (none: the lock had already ended).
    """
    deleted, _ = AccessAttempt.objects.filter(
        username=username or None, ip_address=ip_address or None
    ).delete()
    if deleted:
        log.info("Sign-in lock on %r from %s lifted by %s", username, ip_address, by)
        account = User.objects.filter(username=username).first() if username else None
        if account:
            _log(by, account, f"Sign-in lock from {ip_address or 'an unknown address'} lifted")
    return deleted


class LiftLockForm(forms.Form):
    username = forms.CharField(max_length=255, required=False)
    ip_address = forms.GenericIPAddressField(required=False)


class LockListView(OfficerRequiredMixin, TemplateView):
    template_name = "accounts/locks.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            locks=sign_in_locks(),
            failure_limit=settings.AXES_FAILURE_LIMIT,
            cool_off_minutes=int(get_cool_off().total_seconds() // 60),
            **kwargs,
        )


class LiftLockView(OfficerRequiredMixin, View):
    """POST only: lift the lock on one username from one IP."""

    http_method_names = ["post"]

    def post(self, request):
        form = LiftLockForm(request.POST)
        if not form.is_valid():
            messages.error(request, "That is not a sign-in lock.")
            return redirect("accounts:locks")
        username = form.cleaned_data["username"]
        ip_address = form.cleaned_data["ip_address"]
        who = f"{username or 'no username'} from {ip_address or 'an unknown address'}"
        if lift_sign_in_lock(by=request.user, username=username, ip_address=ip_address):
            messages.success(request, f"Sign-in unlocked for {who}.")
        else:
            messages.info(request, f"Sign-in for {who} was not locked.")
        return redirect("accounts:locks")


# --- Password reset ----------------------------------------------------------------------------

PERIOD_NAMES = {1: "a second", 60: "a minute", 3600: "an hour", 86400: "a day"}


class PasswordResetView(RateLimitedFormMixin, auth_views.PasswordResetView):
    """Django's password reset, limited per client IP and per email address.

    Over the IP's limit the form comes back with a message and status 429. Over an address's
    limit the answer is the same as success (the "check your email" page) but nothing is sent,
    so the limit tells nobody whether the address has an account.
    """

    rate_limit_scope = "password_reset_ip"
    extra_context = {"heading": "Reset your password", "button": "Send reset link"}

    @property
    def rate_limit_message(self):
        period = Rate.parse(settings.RATE_LIMITS[self.rate_limit_scope]).seconds
        return (
            "You have asked for too many password reset links. Wait "
            f"{PERIOD_NAMES.get(period, 'a while')} and try again."
        )

    def form_valid(self, form):
        # Keyed by a keyed hash: the cache holds no email addresses.
        address = salted_hmac("password_reset_email", form.cleaned_data["email"].casefold())
        if not hit(self.request, "password_reset_email", key=address.hexdigest()):
            log.warning("Password reset: an email address is over its limit; nothing sent")
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
