"""Every staff URL, for every role: who may list, view, change, delete and export what.

The URLs come from the URL conf (everything under /admin/ and /staff/), so a new model,
admin view or staff page is covered without touching this file; one whose URL needs a value
this file cannot supply fails loudly, asking for it.

The data world has two sides. Side ALPHA is hub A (coordinator A's) and the partner contact's
organisation; side BRAVO is hub B and another organisation. Private text on each object carries a
marker: `<SIDE>-H-` for hub records, `<SIDE>-P-` for partner records, `COUNCIL-ONLY-` for what
only officers see. A leak is a forbidden marker in any response.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.roles import PARTNER_CONTACT
from directory.models import Area
from partners.models import Contact, Document, PartnerMembership
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    EngagementFactory,
    GrantFactory,
    InterestFactory,
    KpiFactory,
    KpiReturnFactory,
    OrganisationFactory,
    RoleFactory,
    ServiceFactory,
    SuggestionFactory,
    UserFactory,
    VolunteerHoursFactory,
)
from wards.models import WardBoundary

ROLES = [
    "anonymous",
    "resident",
    "coordinator_a",
    "coordinator_b",
    "partner_contact",
    "officer",
    "superuser",
]
# What each role must never see. Officers and superusers see everything.
FORBIDDEN = {
    "anonymous": ["ALPHA-", "BRAVO-", "COUNCIL-ONLY-"],
    "resident": ["ALPHA-", "BRAVO-", "COUNCIL-ONLY-"],
    "coordinator_a": ["-P-", "BRAVO-H-", "COUNCIL-ONLY-"],
    "coordinator_b": ["-P-", "ALPHA-H-", "COUNCIL-ONLY-"],
    "partner_contact": ["-H-", "BRAVO-P-", "COUNCIL-ONLY-"],
    "officer": [],
    "superuser": [],
}
REPORT_TABLES = ["monthly", "activity", "age", "partner", "referrals"]
# Pages that are not data: the sign-in and sign-out steps.
NOT_DATA = {"admin:login", "admin:logout", "admin:view_on_site"}


@pytest.fixture
def world(hub_a, hub_b, partner_organisation, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Hub names are public (hub pages); their activities and sessions are staff records.
    hub_a.name, hub_b.name = "Alpha hub", "Bravo hub"
    hub_a.save()
    hub_b.save()
    sides = {"ALPHA": (hub_a, partner_organisation), "BRAVO": (hub_b, OrganisationFactory())}
    for number, (side, (hub, org)) in enumerate(sides.items()):
        # Each hub's venue is in a ward of its own, which its organisation serves: the ward
        # matrix shows each side its own ward only.
        ward = Area.objects.create(
            name=f"{side} ward",
            slug=f"{side.lower()}-ward",
            kind=Area.Kind.WARD,
            parent=hub.area,
            ons_code=f"E0500000{number}",
        )
        hub.location.area = ward
        hub.location.save()
        org.areas_served.add(ward)
        WardBoundary.objects.create(
            ward=ward,
            source="test",
            year=2024,
            geometry={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        )
        activity = ActivityFactory(hub=hub, name=f"{side}-H-activity")
        EngagementFactory(hub=hub, activity=activity, notes=f"{side}-H-engagement-note")
        agreement = AgreementFactory(
            organisation=org, reference=f"{side}-P-SLA", title=f"{side}-P-agreement"
        )
        kpi = KpiFactory(agreement=agreement, name=f"{side}-P-kpi")
        KpiReturnFactory(kpi=kpi, commentary=f"{side}-P-return-commentary")
        GrantFactory(organisation=org, reference=f"{side}-P-GRANT", title=f"{side}-P-grant")
        Contact.objects.create(organisation=org, name=f"{side}-P-contact-person")
        Document.objects.create(
            agreement=agreement,
            title=f"{side}-P-document",
            file=ContentFile(b"%PDF-1.4 test", name=f"{side.lower()}.pdf"),
            original_name="sla.pdf",
            size=13,
        )
        ServiceFactory(organisation=org, name=f"{side} public service")
        role = RoleFactory(organisation=org, title=f"{side} public role")
        interest = InterestFactory(
            role=role, name=f"{side}-P-volunteer", email=f"{side.lower()}@example.org"
        )
        interest.status = "placed"
        interest.save()
        VolunteerHoursFactory(interest=interest)
    SuggestionFactory(
        submitter_name="COUNCIL-ONLY-submitter", submitter_email="council-only@example.org"
    )
    UserFactory(username="colleague", last_name="COUNCIL-ONLY-staff-member")
    InterestFactory(role=None, name="COUNCIL-ONLY-general-offer", email="general@example.org")
    return sides


@pytest.fixture
def login_as(client, request):
    def login(role):
        if role == "anonymous":
            return client
        if role == "resident":
            user = UserFactory(username="resident", is_staff=False)
        else:
            user = request.getfixturevalue(role)
        client.force_login(user)
        return client

    return login


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern.name, prefix + str(pattern.pattern)


def _pks(app_label, model_name):
    return list(apps.get_model(app_label, model_name).objects.values_list("pk", flat=True))


def staff_urls():
    """Every admin and staff URL, with each object's pk where the URL takes one."""
    urls = []
    for namespace, name, route in _walk(get_resolver().url_patterns):
        if not route.startswith(("admin/", "staff/")):
            continue
        full_name = f"{namespace}:{name}" if namespace else name
        if name is None or full_name in NOT_DATA:
            continue  # unnamed admin routes only redirect to the named ones
        urls.extend(_fill(full_name, name, route))
    return urls


def _fill(full_name, name, route):
    params = re.findall(r"<(?:\w+:)?(\w+)>|\(\[\^/\]\+\)", route)
    if not params:
        return [reverse(full_name)]
    model_match = re.match(r"admin/(\w+)/(\w+)/", route)
    if name.endswith("_simple_history"):
        app_label, model_name = model_match.groups()
        history = apps.get_model(app_label, model_name).history.all()
        return [reverse(full_name, args=[h.id, h.history_id]) for h in history]
    if params == ["object_id"] and model_match:
        return [reverse(full_name, args=[pk]) for pk in _pks(*model_match.groups())]
    special = {
        "partners_document_download": lambda: _pks("partners", "document"),
        "otp_totp_totpdevice_config": lambda: _pks("otp_totp", "totpdevice"),
        "otp_totp_totpdevice_qrcode": lambda: _pks("otp_totp", "totpdevice"),
        "auth_user_password_change": lambda: _pks("auth", "user"),
        "deactivate": lambda: _pks("auth", "user"),
        "reactivate": lambda: _pks("auth", "user"),
        "app_list": lambda: sorted({m._meta.app_label for m in admin.site._registry}),
        "export": lambda: REPORT_TABLES,
        "hours_export": lambda: ["monthly", "organisation", "hub", "area"],
        "undo": lambda: _pks("hubs", "engagement"),
        "approve": lambda: _pks("directory", "suggestion"),
        "kpi_return": lambda: _pks("partners", "kpireturn"),
        "reject": lambda: _pks("directory", "suggestion"),
        "ward": lambda: list(Area.objects.filter(kind=Area.Kind.WARD).values_list("pk", flat=True)),
    }
    if name in special:
        return [reverse(full_name, args=[value]) for value in special[name]()]
    pytest.fail(f"Add sample values for {full_name} ({route}) to tests/test_permission_matrix.py")


def autocomplete_urls():
    """The admin's autocomplete endpoint for every autocomplete field, empty search term."""
    urls = []
    for model, model_admin in admin.site._registry.items():
        for field in model_admin.autocomplete_fields:
            urls.append(
                reverse("admin:autocomplete")
                + f"?app_label={model._meta.app_label}&model_name={model._meta.model_name}"
                f"&field_name={field}&term="
            )
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_no_role_sees_another_sides_data_on_any_staff_url(world, login_as, role):
    client = login_as(role)
    urls = staff_urls() + autocomplete_urls()
    assert len(urls) > 150  # the walk really found the admin

    leaks, errors, opened = [], [], 0
    for url in urls:
        for query in ("", "?q=BRAVO", "?hub=" + str(world["BRAVO"][0].pk)):
            response = client.get(url + ("&" + query[1:] if "?" in url and query else query))
            if response.status_code >= 500:
                errors.append((url, query, response.status_code))
            if response.status_code == 200:
                opened += 1
            body = b"".join(response) if response.streaming else response.content
            text = body.decode(errors="replace")
            leaks += [(url, query, m) for m in FORBIDDEN[role] if m in text]
            if role in ("anonymous", "resident"):
                assert response.status_code != 200, url

    assert errors == []
    assert leaks == []
    if role not in ("anonymous", "resident"):
        assert opened > 0


@pytest.mark.parametrize("role", ROLES[:5])
def test_no_limited_role_can_delete_another_sides_records(world, login_as, role):
    client = login_as(role)
    other_side = "ALPHA" if role == "coordinator_b" else "BRAVO"
    hub, org = world[other_side]
    targets = [
        ("hubs", "hub", hub.pk),
        ("hubs", "activity", hub.activities.get().pk),
        ("hubs", "engagement", hub.engagements.get().pk),
        ("partners", "organisation", org.pk),
        ("partners", "agreement", org.agreements.get().pk),
        ("partners", "grant", org.grants.get().pk),
    ]

    for app_label, model_name, pk in targets:
        url = reverse(f"admin:{app_label}_{model_name}_delete", args=[pk])
        response = client.post(url, {"post": "yes"})
        assert response.status_code in (302, 403, 404), (url, response.status_code)
        assert apps.get_model(app_label, model_name).objects.filter(pk=pk).exists(), url

    # Undo from the "Saved" banner deletes a session too.
    engagement = hub.engagements.get()
    response = client.post(reverse("hubs_staff:undo", args=[engagement.pk]))
    assert response.status_code in (302, 403, 404), response.status_code
    assert type(engagement).objects.filter(pk=engagement.pk).exists()

    # The moderation queue's decisions are officers' only.
    suggestion = apps.get_model("directory", "suggestion").objects.get()
    for decision in ("approve", "reject"):
        url = reverse(f"directory_staff:{decision}", args=[suggestion.pk])
        response = client.post(url, {"organisation": "new", "reason": "No"})
        assert response.status_code in (302, 403), (url, response.status_code)
    suggestion.refresh_from_db()
    assert suggestion.status == "pending"


def test_each_role_does_see_its_own_side(world, login_as):
    """The matrix above must not pass by showing nobody anything."""
    expectations = {
        "coordinator_a": ("admin:hubs_engagement_changelist", "ALPHA-H-"),
        "coordinator_b": ("admin:hubs_engagement_changelist", "BRAVO-H-"),
        "partner_contact": ("admin:partners_agreement_changelist", "ALPHA-P-SLA"),
        "officer": ("admin:partners_agreement_changelist", "BRAVO-P-SLA"),
    }
    for role, (url_name, marker) in expectations.items():
        response = login_as(role).get(reverse(url_name))
        assert response.status_code == 200, role
        assert marker in response.content.decode(), role


def test_partner_contact_membership_alone_is_not_enough(world, client):
    """A login linked to an organisation but not in the partner contact group sees nothing."""
    user = UserFactory(username="linked-only")
    PartnerMembership.objects.create(user=user, organisation=world["ALPHA"][1])
    assert not user.groups.filter(name=PARTNER_CONTACT).exists()
    client.force_login(user)

    response = client.get(reverse("admin:partners_agreement_changelist"))

    assert response.status_code == 403
    assert Group.objects.filter(name=PARTNER_CONTACT).exists()


def test_world_has_the_records_the_matrix_relies_on(world):
    assert Decimal(world["ALPHA"][1].agreements.get().annual_value) > 0
    assert world["BRAVO"][0].engagements.get().date <= datetime.date.today()
