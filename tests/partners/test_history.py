from decimal import Decimal

import pytest
from django.urls import reverse

from partners.models import Agreement, Grant, KpiReturn
from tests.factories import AgreementFactory, GrantFactory, KpiReturnFactory
from tests.partners.admin.formdata import agreement_data

pytestmark = pytest.mark.django_db


def current_data(agreement, **changes):
    fields = {
        "reference": agreement.reference,
        "title": agreement.title,
        "start_date": agreement.start_date.isoformat(),
        "end_date": agreement.end_date.isoformat(),
        "annual_value": str(agreement.annual_value),
    }
    return agreement_data(agreement.organisation, **{**fields, **changes})


def change_agreement(client, agreement, **changes):
    url = reverse("admin:partners_agreement_change", args=[agreement.pk])
    return client.post(url, current_data(agreement, **changes))


def test_officer_change_records_who_when_and_what(officer_client, officer):
    agreement = AgreementFactory(title="Advice services", annual_value=Decimal("1000"))

    response = change_agreement(officer_client, agreement, annual_value="2500.00")

    assert response.status_code == 302
    latest, previous = agreement.history.all()[:2]
    assert latest.history_user == officer
    assert latest.history_type == "~"
    assert latest.history_date is not None
    delta = latest.diff_against(previous)
    assert delta.changed_fields == ["annual_value"]
    assert (delta.changes[0].old, delta.changes[0].new) == (Decimal("1000.00"), Decimal("2500.00"))
    page = officer_client.get(reverse("admin:partners_agreement_history", args=[agreement.pk]))
    assert page.status_code == 200
    assert "annual value" in page.content.decode().lower()


def test_officer_reverts_an_agreement_to_an_earlier_version(officer_client, officer):
    agreement = AgreementFactory(title="Original title")
    change_agreement(officer_client, agreement, title="Mistaken title")
    original = agreement.history.earliest()

    url = reverse(
        "admin:partners_agreement_simple_history", args=[agreement.pk, original.history_id]
    )
    form = officer_client.get(url)
    response = change_agreement_at(officer_client, url, agreement)

    assert form.status_code == 200
    assert "Revert" in form.content.decode()
    assert form.context["adminform"].form.initial["title"] == "Original title"
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Original title"
    assert agreement.history.count() == 3
    assert agreement.history.first().history_user == officer


def change_agreement_at(client, url, agreement):
    """Submit the history form as shown: the earlier version's values."""
    return client.post(url, current_data(agreement, title="Original title"))


def test_returns_grants_and_deletions_are_audited(officer_client, officer):
    ret = KpiReturnFactory(value=Decimal("10"))
    grant = GrantFactory()

    officer_client.post(reverse("admin:partners_grant_delete", args=[grant.pk]), {"post": "yes"})

    assert not Grant.objects.exists()
    deleted = Grant.history.first()
    assert (deleted.history_type, deleted.history_user, deleted.reference) == (
        "-",
        officer,
        grant.reference,
    )
    assert KpiReturn.history.filter(id=ret.pk).count() == 1
    assert Agreement.history.exists()
