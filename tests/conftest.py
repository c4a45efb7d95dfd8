"""Personas and the browser harness shared by all tests.

Personas: anonymous (the `client` fixture), officer, coordinator, superuser. Later issues add
coordinators of hub A and hub B and a partner contact here.
"""

import os
from pathlib import Path

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import COORDINATOR, OFFICER
from tests.browser import PHONE
from tests.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM must allow it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-results" / "screenshots"


@pytest.fixture(autouse=True)
def _force_login_includes_second_factor(monkeypatch):
    """`client.force_login` skips the password step; make it skip the code step too.

    Real sign-in, with and without the second factor, is tested in tests/test_accounts.py.
    """
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="test authenticator", defaults={"confirmed": True}
        )
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _staff_groups_survive_flushes(request):
    """Transactional tests (the live server) flush the groups a data migration made: remake
    them, with their permissions, before each such test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if not (transactional or {"transactional_db", "live_server"} & set(request.fixturenames)):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps
    from django.contrib.auth.models import Group

    from core.roles import STAFF_GROUPS, grant_app_permissions

    for name in STAFF_GROUPS:
        Group.objects.get_or_create(name=name)
    for app_config in apps.get_app_configs():
        if app_config.path.startswith(str(ROOT)):  # our apps, as after migrate
            grant_app_permissions(sender=app_config)


def sign_in(client, username, password):
    """The password step of the real staff sign-in page (two-factor wizard)."""
    from django.urls import reverse

    return client.post(
        reverse("two_factor:login"),
        {"login_view-current_step": "auth", "auth-username": username, "auth-password": password},
    )


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


@pytest.fixture
def phone_without_javascript(browser):
    """A page in a browser with JavaScript off, at a phone's size; closed after the test."""
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    yield context.new_page()
    context.close()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run tests that flush the database (live server, transactional) after all the others.

    pytest-django sorts them last, but pytest then regroups tests by Playwright's
    session-wide browser parameter, which puts browser tests in the middle; a test after
    them would find the staff groups flushed away.
    """

    def flushes(item):
        marker = item.get_closest_marker("django_db")
        transaction = marker is not None and (
            marker.kwargs.get("transaction") or (marker.args and marker.args[0])
        )
        return bool(transaction) or bool(
            {"live_server", "transactional_db"} & set(item.fixturenames)
        )

    items.sort(key=flushes)


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


# --- Hubs personas: two hubs, each with its own coordinator ---------------------------------


@pytest.fixture
def hub_a(db):
    from tests.factories import HubFactory

    return HubFactory(name="Hub A", slug="hub-a")


@pytest.fixture
def hub_b(db):
    from tests.factories import HubFactory

    return HubFactory(name="Hub B", slug="hub-b")


@pytest.fixture
def coordinator_a(hub_a):
    from tests.factories import HubCoordinatorFactory

    user = UserFactory(username="coordinator-a", groups=[COORDINATOR])
    HubCoordinatorFactory(user=user, hub=hub_a)
    return user


@pytest.fixture
def coordinator_b(hub_b):
    from tests.factories import HubCoordinatorFactory

    user = UserFactory(username="coordinator-b", groups=[COORDINATOR])
    HubCoordinatorFactory(user=user, hub=hub_b)
    return user


# --- partners: a partner contact whose login belongs to one organisation ------------------


@pytest.fixture
def partner_organisation(db):
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name="Basildon CVS", slug="basildon-cvs")


@pytest.fixture
def partner_contact(db, partner_organisation):
    from core.roles import PARTNER_CONTACT
    from partners.models import PartnerMembership

    user = UserFactory(username="partner", groups=[PARTNER_CONTACT])
    PartnerMembership.objects.create(user=user, organisation=partner_organisation)
    return user


# --- volunteering: a second organisation with its own partner contact --------------------


@pytest.fixture
def other_partner_contact(db):
    from core.roles import PARTNER_CONTACT
    from partners.models import PartnerMembership
    from tests.factories import OrganisationFactory

    user = UserFactory(username="other-partner", groups=[PARTNER_CONTACT])
    PartnerMembership.objects.create(
        user=user, organisation=OrganisationFactory(name="Other Charity", slug="other-charity")
    )
    return user


@pytest.fixture(autouse=True)
def _fresh_search_cache():
    """Each test starts with no cached pages or figures (the cache outlives a test's
    rollback): the version key dropped, so the next read starts a new one."""
    from django.core.cache import cache

    from core.cache import VERSION_KEY
    from hubs.models import ENGAGEMENTS_VERSION_KEY

    cache.delete_many([VERSION_KEY, ENGAGEMENTS_VERSION_KEY])


@pytest.fixture
def demo(settings):
    """The demo data, as `make run` loads it (seed_demo insists on DEBUG, then it is off)."""
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
