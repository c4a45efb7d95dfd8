"""Every officer change to partners, agreements, KPIs, returns, grants, listings and moderation
decisions is recorded with who and when: one test per model, through the real admin forms."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from directory.models import Suggestion
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    KpiFactory,
    KpiReturnFactory,
    OrganisationFactory,
    ServiceFactory,
    SuggestionFactory,
)

pytestmark = pytest.mark.django_db


def form_data(response):
    """What the admin change form would post back unchanged: main form and every inline."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = value if not isinstance(value, list | tuple) else [str(v) for v in value]
        if value is True:
            data[name] = "on"
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value not in (None, False):
                    data[sub.add_prefix(name)] = "on" if value is True else value
    return data


def change_through_admin(client, obj, field, new_value):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    data = {k: v for k, v in form_data(client.get(url)).items() if v != ""}
    data[field] = new_value
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()
    assert getattr(obj, field) == new_value
    return obj


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (lambda: OrganisationFactory(), "description", "Runs the borough's CVS."),
        (lambda: AgreementFactory(lead_officer=None), "title", "Community transport SLA"),
        (lambda: KpiFactory(), "name", "Trips delivered"),
        (lambda: KpiReturnFactory(), "commentary", "Two drivers off sick in May."),
        (lambda: GrantFactory(), "purpose", "Chairs for the community room."),
    ],
    ids=["organisation", "agreement", "kpi", "kpi return", "grant"],
)
def test_partner_records_keep_a_history_of_who_changed_what(
    officer_client, officer, make, field, value
):
    obj = make()

    change_through_admin(officer_client, obj, field, value)

    latest = obj.history.order_by("-history_date").first()
    assert latest.history_user == officer
    assert latest.history_type == "~"
    assert getattr(latest, field) == value
    assert latest.history_date is not None


def test_listing_changes_are_logged_with_who_when_and_what(officer_client, officer):
    service = ServiceFactory(name="Food bank")

    change_through_admin(officer_client, service, "name", "Basildon food bank")

    entry = LogEntry.objects.get(object_id=str(service.pk), action_flag=CHANGE)
    assert entry.user == officer
    assert entry.action_time is not None
    assert "Name" in entry.get_change_message()


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_moderation_decisions_are_logged_with_who_and_when(officer_client, officer, action):
    OrganisationFactory(name="Pitsea Crafters")
    suggestion = SuggestionFactory(
        organisation_name="Pitsea Crafters", submitter_email="someone@example.org"
    )

    officer_client.post(
        reverse("admin:directory_suggestion_changelist"),
        {"action": action, "_selected_action": [suggestion.pk]},
    )

    suggestion.refresh_from_db()
    assert suggestion.status != Suggestion.Status.PENDING
    entry = LogEntry.objects.get(object_id=str(suggestion.pk))
    assert entry.user == officer
    assert entry.get_change_message() in ("Approved", "Rejected")
