"""Personas and the browser harness shared by all tests.

Personas: anonymous (the `client` fixture), officer, coordinator, superuser. Later issues add
coordinators of hub A and hub B and a partner contact here.
"""

import os
from pathlib import Path

import pytest

from partners.roles import COORDINATOR, OFFICER
from tests.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM must allow it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-results" / "screenshots"


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", groups=[OFFICER])


@pytest.fixture
def coordinator(db):
    return UserFactory(username="coordinator", groups=[COORDINATOR])


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


# --- Browser tests: Debian's Chromium driven by Playwright -------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-results/screenshots/ (git-ignored)."""

    def take(name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take


@pytest.fixture
def page(page):
    """Playwright's page, failing the test on any JavaScript error or CSP violation."""
    problems = []

    def on_console(message):
        # A 404 document logs "Failed to load resource"; those are asserted by status instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    assert problems == [], problems


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


# --- partners: a partner contact whose login belongs to one organisation ------------------


@pytest.fixture
def partner_organisation(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Basildon CVS", slug="basildon-cvs")


@pytest.fixture
def partner_contact(db, partner_organisation):
    from partners.models import PartnerMembership
    from partners.roles import PARTNER_CONTACT

    user = UserFactory(username="partner", groups=[PARTNER_CONTACT])
    PartnerMembership.objects.create(user=user, organisation=partner_organisation)
    return user
