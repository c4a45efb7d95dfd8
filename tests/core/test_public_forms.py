"""Shared protection on public forms: honeypot, rate limit, CSP header."""

import pytest
from django import forms
from django.core.cache import cache
from django.test import RequestFactory
from django.views.generic import FormView

from core.forms import HONEYPOT_FIELD, PublicForm
from core.ratelimit import Rate, RateLimitedFormMixin, client_ip, hit


class MessageForm(PublicForm):
    message = forms.CharField()


class MessageView(RateLimitedFormMixin, FormView):
    form_class = MessageForm
    template_name = "tests/message_form.html"
    success_url = "/thanks/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_honeypot_filled_in_makes_the_form_invalid():
    form = MessageForm(data={"message": "hello", HONEYPOT_FIELD: "http://spam.example"})

    assert not form.is_valid()
    assert "could not be accepted" in str(form.non_field_errors())


def test_honeypot_left_empty_is_fine_and_hidden_from_people():
    form = MessageForm(data={"message": "hello"})

    assert form.is_valid()
    assert '<div class="cc-honeypot">' in str(MessageForm())


def test_rate_parse():
    assert Rate.parse("10/h") == Rate(10, 3600)
    assert Rate.parse("600/m") == Rate(600, 60)


def test_rate_limit_counts_per_client_ip(settings, rf):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_form": "2/h"}
    first = rf.post("/", REMOTE_ADDR="10.0.0.1")
    other = rf.post("/", REMOTE_ADDR="10.0.0.2")

    assert hit(first, "public_form")
    assert hit(first, "public_form")
    assert not hit(first, "public_form")
    assert hit(other, "public_form")


def test_client_ip_trusts_forwarded_for_only_behind_configured_proxies(settings, rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")

    settings.NUM_PROXIES = 0
    assert client_ip(request) == "10.0.0.9"
    settings.NUM_PROXIES = 1
    assert client_ip(request) == "5.6.7.8"


def test_over_the_limit_the_form_is_shown_again_with_429_and_not_processed(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_form": "1/h"}
    view = MessageView.as_view()
    factory = RequestFactory()

    ok = view(factory.post("/", {"message": "first"}, REMOTE_ADDR="10.0.0.3"))
    limited = view(factory.post("/", {"message": "second"}, REMOTE_ADDR="10.0.0.3"))

    assert ok.status_code == 302
    assert limited.status_code == 429
    limited.render()
    html = limited.content.decode()
    assert "too many forms" in html
    assert 'value="second"' in html  # what they typed is kept


@pytest.mark.django_db
def test_public_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/directory/",
        "/directory/suggest/",
        "/hubs/",
        "/volunteer/",
        "/volunteer/offer-help/",
        "/accessibility/",
        "/account/login/",
    ],
)
def test_every_public_page_sends_the_security_headers(client, settings, path):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get(path, secure=True)

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
