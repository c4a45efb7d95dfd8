"""Two-factor set-up that works on a phone, and signing out from any staff page."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import COORDINATOR, OFFICER
from tests.accounts.test_signin import password_step
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SETUP = reverse("two_factor:setup")


def _to_generator_step(client, url=SETUP):
    client.get(url)
    return client.post(url, {"setup_view-current_step": "welcome"})


def _code(client):
    return f"{totp(b32decode(client.session['django_two_factor-qr_secret_key'])):06d}"


def test_set_up_page_offers_the_app_link_a_grouped_key_and_a_6_digit_code_field(client):
    UserFactory(username="cora", groups=[COORDINATOR])
    password_step(client, "cora")

    html = _to_generator_step(client).content.decode()

    key = client.session["django_two_factor-qr_secret_key"]
    link = re.search(r'href="(otpauth://totp/[^"]+)"', html).group(1)
    assert f"secret={key}" in link and "Add to authenticator app" in html
    grouped = re.search(r'<code id="secret-key">([^<]+)</code>', html).group(1)
    assert grouped.replace(" ", "") == key and all(len(g) == 4 for g in grouped.split())
    field = re.search(r"<input[^>]*generator-token[^>]*>", html).group(0)
    assert 'type="text"' in field and 'autocomplete="one-time-code"' in field
    assert 'inputmode="numeric"' in field
    assert re.search(r'<label[^>]*for="id_generator-token"[^>]*>\s*6-digit code', html)


def test_after_set_up_the_user_goes_on_to_the_page_they_asked_for(client):
    UserFactory(username="cora", groups=[COORDINATOR])
    password_step(client, "cora")
    # The admin sends someone without a device to set-up, carrying where they were going.
    setup_url = client.get(reverse("hubs_staff:log"))["Location"]
    assert setup_url == SETUP + "?next=%2Fstaff%2Fhubs%2Flog%2F"
    _to_generator_step(client, setup_url)

    done = client.post(
        setup_url, {"setup_view-current_step": "generator", "generator-token": _code(client)}
    )

    assert done.status_code == 302 and done["Location"] == "/staff/hubs/log/"
    assert TOTPDevice.objects.get(user__username="cora").confirmed
    page = client.get(done["Location"])
    assert page.status_code == 200
    assert "You can get backup codes from Account security" in page.content.decode()


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_set_up_ignores_a_next_that_leaves_the_site(client, unsafe):
    UserFactory(username="cora", groups=[COORDINATOR])
    password_step(client, "cora")
    url = f"{SETUP}?next={unsafe}"
    _to_generator_step(client, url)

    done = client.post(
        url, {"setup_view-current_step": "generator", "generator-token": _code(client)}
    )

    assert done["Location"] == reverse("two_factor:setup_complete")


def test_sign_in_code_field_is_a_6_digit_code(client):
    user = UserFactory(username="carla", groups=[OFFICER])
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)

    html = password_step(client, "carla").content.decode()

    assert re.search(r'<label[^>]*for="id_token-otp_token"[^>]*>\s*6-digit code', html)
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html


# --- Sign out and the session's end, in the header of staff pages -------------------------


STAFF_PAGES = [
    ("officer", "dashboard"),
    ("officer", "accounts:list"),
    ("officer", "kpi_returns"),
    ("officer", "volunteering_staff:hours_report"),
    ("coordinator_a", "hubs_staff:home"),
    ("coordinator_a", "hubs_staff:log"),
    ("officer", "admin:index"),
]


@pytest.mark.parametrize("persona,url_name", STAFF_PAGES)
def test_every_staff_page_says_when_the_session_ends_and_offers_sign_out(
    client, request, settings, persona, url_name
):
    settings.SESSION_COOKIE_AGE = 60 * 60
    settings.SESSION_ABSOLUTE_AGE = 12 * 60 * 60
    client.force_login(request.getfixturevalue(persona))

    html = client.get(reverse(url_name)).content.decode()

    assert re.search(
        r"session ends at \d\d:\d\d( tomorrow)? if idle, \d\d:\d\d( tomorrow)? at the latest", html
    )
    form = re.search(
        r'<form[^>]* method="post" action="([^"]+)"[^>]*>(.*?)</form>',
        html[html.index("session ends") :],
        re.S,
    )
    assert form and "csrfmiddlewaretoken" in form.group(2)
    assert form.group(1) in (reverse("sign_out"), reverse("admin:logout"))
    # The tab's icon comes from the static files: without it the browser asks Django for
    # /favicon.ico after each page, a 404 that also saves the session.
    icon = re.search(r'<link rel="icon"[^>]* href="([^"]+)"', html)
    assert icon and icon.group(1).startswith(settings.STATIC_URL)


def test_public_pages_do_not_show_the_staff_bar(client, officer):
    client.force_login(officer)
    assert "session ends" not in client.get(reverse("home")).content.decode()


def test_sign_out_is_a_post_and_ends_the_session(client, officer):
    client.force_login(officer)
    assert client.get(reverse("sign_out")).status_code == 405
    assert client.get(reverse("dashboard")).status_code == 200

    response = client.post(reverse("sign_out"), follow=True)

    assert response.redirect_chain[0][0] == reverse("two_factor:login")
    assert "You have signed out." in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_sign_out_needs_the_csrf_token(officer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.post(reverse("sign_out")).status_code == 403
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_absolute_lifetime_shows_when_it_comes_first(client, officer, settings):
    settings.SESSION_COOKIE_AGE = 60 * 60
    settings.SESSION_ABSOLUTE_AGE = 30 * 60
    client.force_login(officer)
    html = client.get(reverse("dashboard")).content.decode()
    assert re.search(r"session ends at \d\d:\d\d( tomorrow)?</p>", html)
