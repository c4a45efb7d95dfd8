"""The second-factor device admins: an officer sees and deletes devices but never reads a secret
back (accounts/admin.py, OTP_ADMIN_HIDE_SENSITIVE_DATA)."""

from base64 import b32encode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import COORDINATOR, OFFICER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BAD_IDS = ["999999", "99999999999999999999", "abc", "1.5", "-1", "\u0663"]


@pytest.fixture
def colleague_device():
    """Another officer's authenticator: what an officer must not be able to copy."""
    user = UserFactory(username="colleague", groups=[OFFICER])
    return TOTPDevice.objects.create(user=user, name="default", confirmed=True)


@pytest.fixture
def backup_codes():
    user = UserFactory(username="carla", groups=[COORDINATOR])
    device = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    device.token_set.create(token="secret12")
    return device


def secrets_of(device):
    base32 = b32encode(device.bin_key).decode()
    return [device.key, base32, base32.rstrip("=")]


@pytest.mark.parametrize("page", ["config", "qrcode", "change"])
def test_officer_cannot_read_a_colleagues_totp_secret(officer_client, colleague_device, page):
    response = officer_client.get(
        reverse(f"admin:otp_totp_totpdevice_{page}", args=[colleague_device.pk])
    )

    assert response.status_code in (200, 403)
    body = response.content.decode(errors="replace")
    assert not [secret for secret in secrets_of(colleague_device) if secret in body]
    assert "otpauth://" not in body
    assert response["Content-Type"] != "image/svg+xml"


def test_the_device_list_shows_devices_without_qr_code_links(officer_client, colleague_device):
    response = officer_client.get(reverse("admin:otp_totp_totpdevice_changelist"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "colleague" in html
    assert reverse("admin:otp_totp_totpdevice_config", args=[colleague_device.pk]) not in html


def test_officer_sees_a_device_exists_and_deletes_it(officer_client, colleague_device):
    change = officer_client.get(
        reverse("admin:otp_totp_totpdevice_change", args=[colleague_device.pk])
    )
    assert change.status_code == 200
    assert "colleague" in change.content.decode()

    response = officer_client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[colleague_device.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=colleague_device.pk).exists()


def test_backup_codes_are_not_shown_once_saved_even_to_a_superuser(client, superuser, backup_codes):
    client.force_login(superuser)

    response = client.get(reverse("admin:otp_static_staticdevice_change", args=[backup_codes.pk]))

    assert response.status_code == 200
    assert "carla" in response.content.decode()
    assert "secret12" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/otp_totp/totpdevice/{}/config/",
        "/admin/otp_totp/totpdevice/{}/qrcode/",
        "/admin/otp_totp/totpdevice/{}/change/",
        "/admin/otp_totp/totpdevice/{}/delete/",
        "/admin/otp_totp/totpdevice/{}/history/",
        "/admin/otp_static/staticdevice/{}/change/",
        "/admin/otp_static/staticdevice/{}/delete/",
        "/admin/otp_static/staticdevice/{}/history/",
    ],
)
def test_a_missing_or_impossible_device_id_is_a_404(officer, url):
    client = Client(raise_request_exception=False)
    client.force_login(officer)

    statuses = {bad: client.get(url.format(bad)).status_code for bad in BAD_IDS}

    assert statuses == dict.fromkeys(BAD_IDS, 404)


def test_coordinator_cannot_open_anyones_device(client, coordinator, colleague_device):
    client.force_login(coordinator)

    for page in ("config", "qrcode", "change"):
        url = reverse(f"admin:otp_totp_totpdevice_{page}", args=[colleague_device.pk])
        assert client.get(url).status_code == 403
