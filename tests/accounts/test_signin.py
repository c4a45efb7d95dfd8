"""Staff sign-in: two factors, lockout, no account enumeration, session lifetimes."""

import re
import time
from base64 import b32decode
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.middleware import SESSION_KEY
from core.roles import COORDINATOR, OFFICER, PARTNER_CONTACT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
LOGIN = "two_factor:login"


def password_step(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse(LOGIN),
        {"login_view-current_step": "auth", "auth-username": username, "auth-password": password},
        **extra,
    )


def token_step(client, token):
    return client.post(
        reverse(LOGIN), {"login_view-current_step": "token", "token-otp_token": token}
    )


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def can_reach_admin(client):
    return client.get(reverse("admin:index")).status_code == 200


@pytest.fixture
def enrolled_coordinator():
    user = UserFactory(username="carla", groups=[COORDINATOR])
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user, device


def test_coordinator_without_second_factor_is_sent_to_enrol_and_kept_out_of_admin(client):
    UserFactory(username="newcoord", groups=[COORDINATOR])

    password_step(client, "newcoord")

    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    # Then on to the page asked for.
    setup = client.get(response["Location"])["Location"]
    assert setup == reverse("two_factor:setup") + "?next=%2Fadmin%2F"
    assert not can_reach_admin(client)


def test_enrolment_with_an_authenticator_app_then_admin_opens(client):
    user = UserFactory(username="newofficer", groups=[OFFICER])
    password_step(client, "newofficer")
    setup = reverse("two_factor:setup")

    client.get(setup)
    page = client.post(setup, {"setup_view-current_step": "welcome"})
    assert "scan this QR code" in page.content.decode()
    key = b32decode(client.session["django_two_factor-qr_secret_key"])
    wrong = client.post(
        setup, {"setup_view-current_step": "generator", "generator-token": "000000"}
    )
    assert wrong.status_code == 200 and "Error:" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()

    done = client.post(
        setup, {"setup_view-current_step": "generator", "generator-token": f"{totp(key):06d}"}
    )

    assert done.status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed
    assert can_reach_admin(client)


def test_sign_in_with_a_valid_code_opens_the_admin(client, enrolled_coordinator):
    _user, device = enrolled_coordinator

    step = password_step(client, "carla")
    assert "Enter the 6-digit code" in step.content.decode()
    assert not can_reach_admin(client)
    response = token_step(client, current_code(device))

    assert response.status_code == 302
    assert can_reach_admin(client)


def test_sign_in_with_an_invalid_code_is_refused_with_a_message(client, enrolled_coordinator):
    _user, device = enrolled_coordinator
    password_step(client, "carla")
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = token_step(client, wrong)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<title>Error: Sign in") == 1
    assert "govuk-error-summary" in html
    assert "_auth_user_id" not in client.session
    assert not can_reach_admin(client)


def test_backup_code_signs_in_once(client, enrolled_coordinator):
    user, _device = enrolled_coordinator
    static = StaticDevice.objects.create(user=user, name="backup")
    static.token_set.create(token="abcd1234")
    password_step(client, "carla")

    client.post(reverse(LOGIN), {"wizard_goto_step": "backup"})
    response = client.post(
        reverse(LOGIN), {"login_view-current_step": "backup", "backup-otp_token": "abcd1234"}
    )

    assert response.status_code == 302
    assert can_reach_admin(client)
    assert not static.token_set.exists()


def test_partner_contact_needs_no_second_factor_unless_required_for_everyone(client, settings):
    UserFactory(username="pc", groups=[PARTNER_CONTACT])
    password_step(client, "pc")
    assert can_reach_admin(client)

    settings.TWO_FACTOR_REQUIRED_FOR_ALL = True

    assert not can_reach_admin(client)


def test_five_failures_lock_the_username_for_the_cool_off_then_it_opens(client):
    UserFactory(username="locky", groups=[PARTNER_CONTACT])
    for _ in range(4):
        assert password_step(client, "locky", "wrong-password").status_code == 200
    fifth = password_step(client, "locky", "wrong-password")

    locked = password_step(client, "locky")  # even the right password

    assert fifth.status_code == locked.status_code == 429
    assert "Sign-in is locked for 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert password_step(client, "locky").status_code == 302
    assert client.session["_auth_user_id"]


def test_failures_lock_a_username_from_one_ip_not_the_username_or_the_ip(client):
    """Locking the username everywhere let anyone lock a colleague out (accounts/test_lockout)."""
    UserFactory(username="victim", groups=[PARTNER_CONTACT])
    UserFactory(username="neighbour", groups=[PARTNER_CONTACT])
    for _ in range(5):
        password_step(client, "victim", "wrong-password", REMOTE_ADDR="10.9.9.9")

    from_attacker = password_step(client, "victim", REMOTE_ADDR="10.9.9.9")
    from_elsewhere = password_step(Client(), "victim", REMOTE_ADDR="10.1.1.1")
    someone_else = password_step(Client(), "neighbour", REMOTE_ADDR="10.9.9.9")

    assert from_attacker.status_code == 429
    assert from_elsewhere.status_code == someone_else.status_code == 302


def test_sign_in_does_not_reveal_whether_an_account_exists(client):
    UserFactory(username="known", groups=[PARTNER_CONTACT])

    unknown = password_step(client, "nobody-here", "whatever-password").content.decode()
    wrong = password_step(client, "known", "whatever-password").content.decode()

    def without_tokens(html):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert "Please enter a correct username and password" in unknown
    assert without_tokens(unknown).replace("nobody-here", "known") == without_tokens(wrong)


def test_password_reset_does_not_reveal_whether_an_email_exists(client):
    UserFactory(username="resetme", email="resetme@example.gov.uk")
    url = reverse("password_reset")

    known = client.post(url, {"email": "resetme@example.gov.uk"})
    unknown = client.post(url, {"email": "stranger@example.org"})

    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["resetme@example.gov.uk"]
    assert "/account/password-reset/" in mail.outbox[0].body


def test_session_ends_at_the_absolute_lifetime_however_active(client, officer, settings):
    client.force_login(officer)
    assert can_reach_admin(client)
    session = client.session
    session[SESSION_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_AGE - 1
    session.save()

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_idle_timeout_is_renewed_on_each_request(client, officer, settings):
    client.force_login(officer)

    client.get(reverse("admin:index"))

    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 60 * 60


def test_officer_resets_a_lost_authenticator_and_the_user_enrols_again(client, officer):
    lost = UserFactory(username="lostphone", groups=[COORDINATOR])
    device = TOTPDevice.objects.create(user=lost, name="default", confirmed=True)
    client.force_login(officer)

    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=lost, name="default").exists()
    other = Client()
    password_step(other, "lostphone")
    assert other.get(reverse("admin:login"))["Location"].startswith(reverse("two_factor:setup"))


def test_coordinator_cannot_reset_anyones_authenticator(client, coordinator):
    device = TOTPDevice.objects.create(user=UserFactory(), name="default", confirmed=True)
    client.force_login(coordinator)

    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]))

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
