"""Password reset is limited per client IP and per email address, and over an address's limit
looks exactly like success, so it tells nobody which addresses have accounts."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RESET = reverse("password_reset")
SENT = reverse("password_reset_done")
KNOWN = "resetme@example.gov.uk"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()  # the limits are counted in the cache, which outlives a test
    yield
    cache.clear()


@pytest.fixture
def known(db):
    return UserFactory(username="resetme", email=KNOWN)


def ask(email, ip="10.0.0.1"):
    """One request for a reset link, from a fresh browser at `ip`; the response and the page
    it leads to."""
    client = Client()
    response = client.post(RESET, {"email": email}, REMOTE_ADDR=ip)
    followed = client.get(response["Location"]) if response.status_code == 302 else None
    return response, followed


def looks(response, followed):
    return response.status_code, response.get("Location"), followed.content


def test_the_fourth_request_for_one_address_sends_nothing_but_looks_the_same(known):
    # From four different addresses, so only the email address's limit (3 an hour) applies.
    answers = [ask(email, f"10.0.0.{n}") for n, email in enumerate([KNOWN, KNOWN.upper()] * 2)]

    assert len(mail.outbox) == 3
    assert all(message.to == [KNOWN] for message in mail.outbox)
    first, fourth = looks(*answers[0]), looks(*answers[3])
    assert fourth == first
    assert first[:2] == (302, SENT)
    assert b"Check your email" in first[2]


def test_unknown_and_known_addresses_look_the_same_under_and_over_the_limit(known):
    stranger = "stranger@example.org"

    answers = [(ask(KNOWN, f"10.0.1.{n}"), ask(stranger, f"10.0.2.{n}")) for n in range(4)]

    for for_known, for_stranger in answers:
        assert looks(*for_known) == looks(*for_stranger)
    assert [message.to for message in mail.outbox] == [[KNOWN]] * 3


def test_an_ip_over_its_limit_gets_429_with_a_message_and_no_mail(db):
    for n in range(6):
        UserFactory(username=f"user{n}", email=f"user{n}@example.gov.uk")
    for n in range(5):  # five different addresses: only the IP's limit (5 an hour) applies
        response, _page = ask(f"user{n}@example.gov.uk", ip="10.9.9.9")
        assert response.status_code == 302
    assert len(mail.outbox) == 5

    response, _page = ask("user5@example.gov.uk", ip="10.9.9.9")

    assert response.status_code == 429
    html = response.content.decode()
    assert html.count("<title>Error: Reset your password") == 1
    assert "govuk-error-summary" in html
    assert "You have asked for too many password reset links. Wait an hour" in html
    assert 'value="user5@example.gov.uk"' in html
    assert len(mail.outbox) == 5
    assert ask("user5@example.gov.uk", ip="10.1.1.1")[0].status_code == 302
    assert len(mail.outbox) == 6


def test_the_limits_come_from_settings(known, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "password_reset_email": "1/h",
        "password_reset_ip": "2/m",
    }

    assert [ask(KNOWN, f"10.0.0.{n}")[0].status_code for n in range(2)] == [302, 302]
    assert len(mail.outbox) == 1
    assert [ask(f"x{n}@example.org", "10.5.5.5")[0].status_code for n in range(3)] == [
        302,
        302,
        429,
    ]
    assert "Wait a minute" in ask("y@example.org", "10.5.5.5")[0].content.decode()
