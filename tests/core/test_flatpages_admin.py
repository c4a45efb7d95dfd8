"""Officers edit the accessibility statement and privacy notice without a deploy."""

import pytest
from django.contrib.flatpages.models import FlatPage
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_add_form_starts_from_the_built_in_statement(officer_client, settings):
    settings.CONTACT_EMAIL = "access@anytown.gov.uk"

    response = officer_client.get(reverse("admin:flatpages_flatpage_add") + "?url=/accessibility/")

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["title"] == "Accessibility statement for Connected Communities"
    assert "Equality and Human Rights Commission" in form.initial["content"]
    assert "access@anytown.gov.uk" in form.initial["content"]


def test_officer_edits_the_privacy_notice_and_the_public_page_changes(officer_client, client):
    response = officer_client.post(
        reverse("admin:flatpages_flatpage_add"),
        {
            "url": "/privacy/",
            "title": "Privacy notice",
            "content": '<p class="govuk-body">Retention is now 6 months.</p>',
            "sites": [1],
            "template_name": "",
        },
    )
    assert response.status_code == 302

    html = client.get(reverse("privacy")).content.decode()

    assert "Retention is now 6 months." in html
    assert "12 months after your last activity" not in html
    assert FlatPage.objects.get().url == "/privacy/"


def test_without_an_edit_the_built_in_text_is_shown(client):
    html = client.get(reverse("privacy")).content.decode()

    assert "12 months after your last activity" in html
    assert '<h1 class="govuk-heading-xl">Privacy notice</h1>' in html


def test_coordinators_cannot_edit_statements(client, coordinator_a):
    client.force_login(coordinator_a)

    response = client.get(reverse("admin:flatpages_flatpage_add"))

    assert response.status_code == 403
