"""The issue's "done when": a resident finds a flexible role near them, expresses interest and
gets a reference; an officer sees it, places them, records hours and sees the totals."""

import datetime
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from tests.factories import AreaFactory, RoleFactory
from volunteering.models import Interest, VolunteerHours

pytestmark = pytest.mark.django_db


def test_resident_to_placement_to_hours_totals(client, officer):
    pitsea = AreaFactory(name="Pitsea", slug="pitsea")
    RoleFactory(
        title="Community supermarket",
        area=pitsea,
        commitment="flexible",
        organisation__name="Pitsea Pantry",
    )
    RoleFactory(title="Driver", area=pitsea, commitment="regular", hours_per_week=3)

    # The resident searches for flexible roles in their town and opens the one they like.
    found = client.get("/volunteer/", {"area": "pitsea", "commitment": "flexible"})
    assert [r.title for r in found.context["roles"]] == ["Community supermarket"]
    role = found.context["roles"][0]
    assert client.get(role.get_absolute_url()).status_code == 200
    sent = client.post(
        reverse("volunteering:express_interest", args=[role.pk]),
        {"name": "Sam Resident", "email": "sam@example.com", "consent": "on"},
        follow=True,
    )
    reference = re.search(r"VOL-[A-Z2-9]{6}", sent.content.decode()).group()

    # The officer finds it by reference, places them and records hours.
    client.force_login(officer)
    listing = client.get(reverse("admin:volunteering_interest_changelist"), {"q": reference})
    assert "Sam Resident" in listing.content.decode()
    interest = Interest.objects.get(reference=reference)
    client.post(
        reverse("admin:volunteering_interest_changelist"),
        {"action": "mark_placed", ACTION_CHECKBOX_NAME: [interest.pk]},
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    client.post(
        reverse("admin:volunteering_volunteerhours_add"),
        {
            "interest": interest.pk,
            "date": yesterday.isoformat(),
            "hours": "3.5",
            "confirmed_hours": "3.5",
        },
    )
    assert VolunteerHours.objects.get().confirmed_hours == 3.5

    report = client.get(reverse("volunteering_staff:hours_report"))
    organisations = next(t for t in report.context["tables"] if t.slug == "organisation")
    assert organisations.rows == [["Pitsea Pantry", 3.5, 1]]
    assert [e.to_status for e in interest.events.all()] == ["new", "placed"]
