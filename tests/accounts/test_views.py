"""Officers manage staff accounts: invite, see last sign-in and 2FA, deactivate."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import COORDINATOR, PARTNER_CONTACT
from hubs.models import HubCoordinator
from partners.models import PartnerMembership
from tests.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LIST = reverse("accounts:list")
INVITE = reverse("accounts:invite")


def invite(client, **overrides):
    data = {
        "first_name": "Cara",
        "last_name": "Coordinator",
        "email": "Cara@Example.org",
        "role": COORDINATOR,
        **overrides,
    }
    return client.post(INVITE, data)


def test_officer_invites_a_coordinator_who_sets_a_password_and_signs_in(
    officer_client, hub_a, django_capture_on_commit_callbacks
):
    client = Client()  # the invited person's browser
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(officer_client, hub=hub_a.pk)

    assert response.status_code == 302
    user = User.objects.get(username="cara@example.org")
    assert user.is_staff and not user.has_usable_password()
    assert user.groups.filter(name=COORDINATOR).exists()
    assert HubCoordinator.objects.filter(user=user, hub=hub_a).exists()
    assert LogEntry.objects.filter(object_id=str(user.pk), change_message__contains="Invited")
    [email] = mail.outbox
    assert email.to == ["cara@example.org"]
    assert f"coordinator of {hub_a.name}" in email.body
    link = re.search(r"https?://[^/]+(/account/password-reset/\S+)", email.body).group(1)

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )
    assert done.status_code == 302
    assert sign_in(client, "cara@example.org", "a-long-new-passphrase").status_code == 302
    # A coordinator must still set up the second factor before the admin opens.
    assert client.get(reverse("admin:index")).status_code == 302


def test_officer_invites_a_partner_contact_to_an_organisation(officer_client, partner_organisation):
    response = invite(
        officer_client,
        email="pat@example.org",
        role=PARTNER_CONTACT,
        organisation=partner_organisation.pk,
    )

    assert response.status_code == 302
    user = User.objects.get(username="pat@example.org")
    assert PartnerMembership.objects.filter(user=user, organisation=partner_organisation).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"role": COORDINATOR}, "Choose the hub they will coordinate"),
        ({"role": PARTNER_CONTACT}, "Choose the organisation they work for"),
        (
            {"email": "not-an-email"},
            "Enter an email address in the correct format, like name@example.com",
        ),
        ({"role": "Superuser"}, "Select a valid choice"),
        ({"first_name": ""}, "This field is required"),
    ],
)
def test_invalid_invitation_shows_errors_and_creates_nothing(officer_client, overrides, message):
    before = User.objects.count()

    response = invite(officer_client, **overrides)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<title>Error:") == 1
    assert message in html
    assert User.objects.count() == before
    assert mail.outbox == []


def test_cannot_invite_an_email_that_already_has_an_account(officer_client, hub_a):
    UserFactory(username="cara@example.org")

    response = invite(officer_client, hub=hub_a.pk)

    assert "already a staff account" in response.content.decode()


def test_list_shows_roles_last_sign_in_and_second_factor_in_fixed_queries(
    officer_client, coordinator_a, partner_contact, django_assert_max_num_queries
):
    TOTPDevice.objects.create(user=coordinator_a, name="default", confirmed=True)
    for n in range(5):
        UserFactory(username=f"extra{n}", groups=[COORDINATOR])

    with django_assert_max_num_queries(14):
        response = officer_client.get(LIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Hub A" in html and "Basildon CVS" in html
    assert "Never" in html and "Set up" in html and "Not set up" in html


def test_officer_deactivates_an_account_which_can_then_not_sign_in(officer_client):
    user = UserFactory(username="leaver", groups=[PARTNER_CONTACT])

    response = officer_client.post(reverse("accounts:deactivate", args=[user.pk]))

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert sign_in(Client(), "leaver", "correct-horse-battery").status_code == 200
    officer_client.post(reverse("accounts:reactivate", args=[user.pk]))
    user.refresh_from_db()
    assert user.is_active


def test_deactivation_ends_a_signed_in_session_at_once(officer_client):
    user = UserFactory(username="busy", groups=[PARTNER_CONTACT])
    theirs = Client()
    theirs.force_login(user)
    assert theirs.get(reverse("admin:index")).status_code == 200

    officer_client.post(reverse("accounts:deactivate", args=[user.pk]))

    assert theirs.get(reverse("admin:index")).status_code == 302


def test_officer_cannot_deactivate_themselves_or_a_superuser(officer_client, officer, superuser):
    officer_client.post(reverse("accounts:deactivate", args=[officer.pk]))
    officer_client.post(reverse("accounts:deactivate", args=[superuser.pk]))

    officer.refresh_from_db()
    superuser.refresh_from_db()
    assert officer.is_active and superuser.is_active


@pytest.mark.parametrize("who", ["coordinator_a", "partner_contact"])
def test_only_officers_manage_accounts(client, request, who):
    victim = UserFactory(username="victim", groups=[COORDINATOR])
    client.force_login(request.getfixturevalue(who))

    assert client.get(LIST).status_code == 403
    assert client.get(INVITE).status_code == 403
    assert client.post(reverse("accounts:deactivate", args=[victim.pk])).status_code == 403
    victim.refresh_from_db()
    assert victim.is_active


def test_deactivate_needs_post_and_a_real_account(officer_client):
    assert officer_client.get(reverse("accounts:deactivate", args=[1])).status_code == 405
    assert officer_client.post(reverse("accounts:deactivate", args=[999999])).status_code == 404
