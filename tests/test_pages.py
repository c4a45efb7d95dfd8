import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_shows_branding_and_the_three_ways_in(client, settings):
    settings.COUNCIL_NAME = "Anytown Council"
    settings.SITE_NAME = "Anytown Together"

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Anytown Council" in html
    assert "Anytown Together" in html
    for heading in ("Find services and groups", "Community hubs", "Volunteer"):
        assert heading in html
    assert 'href="#main-content"' in html  # skip link
    assert "govuk-phase-banner" not in html  # off by default


def test_phase_banner_appears_when_configured(client, settings):
    settings.PHASE_BANNER = "beta"

    html = client.get("/").content.decode()

    assert "govuk-phase-banner" in html
    assert "Beta" in html


def test_footer_links_to_statements_that_exist(client):
    html = client.get("/").content.decode()

    for name in ("accessibility", "privacy"):
        url = reverse(name)
        assert f'href="{url}"' in html
        assert client.get(url).status_code == 200


def test_accessibility_statement_has_contact_route_and_enforcement(client, settings):
    settings.CONTACT_EMAIL = "access@anytown.gov.uk"

    html = client.get(reverse("accessibility")).content.decode()

    assert "WCAG" in html or "Web Content Accessibility Guidelines" in html
    assert "mailto:access@anytown.gov.uk" in html
    assert "Equality and Human Rights Commission" in html


def test_privacy_notice_states_lawful_basis_retention_and_rights(client):
    html = client.get(reverse("privacy")).content.decode()

    for words in ("lawful basis", "How long we keep it", "Your rights", "Information Commissioner"):
        assert words in html


def test_unknown_url_gets_styled_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "govuk-template" in html


@pytest.mark.urls("tests.urls_errors")
def test_server_error_gets_styled_500(client):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert "govuk-template" in html


def test_admin_uses_site_name(client, officer, settings):
    settings.SITE_NAME = "Anytown Together"
    client.force_login(officer)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "Anytown Together staff admin" in response.content.decode()


def test_admin_requires_sign_in(client):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
