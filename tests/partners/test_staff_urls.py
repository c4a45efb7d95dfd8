"""Walk every partners staff URL and check what each role gets."""

import pytest
from django.contrib import admin
from django.urls import reverse

from partners.models import Document
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    KpiFactory,
    KpiReturnFactory,
    PolicyOutcomeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(partner_organisation, settings, tmp_path):
    """Every partners admin page, for a record of the partner's and one of another's."""
    settings.MEDIA_ROOT = tmp_path
    own = KpiReturnFactory(
        kpi=KpiFactory(agreement=AgreementFactory(organisation=partner_organisation))
    )
    other = KpiReturnFactory()
    objects = {
        "own": {
            "organisation": partner_organisation,
            "agreement": own.kpi.agreement,
            "kpi": own.kpi,
            "kpireturn": own,
            "grant": GrantFactory(organisation=partner_organisation),
            "policyoutcome": PolicyOutcomeFactory(),  # shared data: everyone may read
        },
        "other": {
            "organisation": other.kpi.agreement.organisation,
            "agreement": other.kpi.agreement,
            "kpi": other.kpi,
            "kpireturn": other,
            "grant": GrantFactory(),
        },
    }
    result = {"list": [], "own": [], "other": []}
    for model in admin.site._registry:
        if model._meta.app_label != "partners":
            continue
        name = model._meta.model_name
        result["list"].append(reverse(f"admin:partners_{name}_changelist"))
        for which in ("own", "other"):
            obj = objects[which].get(name)
            if obj is not None:
                result[which].append(reverse(f"admin:partners_{name}_change", args=[obj.pk]))
    result["list"] += [
        reverse("admin:partners_kpireturn_overdue"),
        reverse("admin:partners_agreement_export"),
        reverse("admin:partners_grant_360giving_json"),
        reverse("admin:partners_grant_360giving_csv"),
    ]
    doc = Document.objects.create(
        agreement=objects["other"]["agreement"], title="x", file="documents/missing.pdf"
    )
    result["other"].append(reverse("admin:partners_document_download", args=[doc.pk]))
    return result


def statuses(client, urls):
    return {url: client.get(url).status_code for url in urls}


def test_anonymous_users_are_sent_to_log_in_everywhere(client, urls):
    for group in urls.values():
        assert set(statuses(client, group).values()) == {302}


def test_officers_open_every_partners_page(client, urls):
    client.force_login(UserFactory(groups=["Council officer"]))

    assert set(statuses(client, urls["list"] + urls["own"] + urls["other"][:-1]).values()) == {200}
    # The last is a download whose file is missing: a 404, not a 500.
    assert client.get(urls["other"][-1]).status_code == 404


def test_coordinators_get_nothing(client, urls):
    client.force_login(UserFactory(groups=["Hub coordinator"]))

    for group in urls.values():
        assert set(statuses(client, group).values()) <= {403, 404}


def test_partner_contacts_get_their_own_and_a_404_for_others(client, partner_contact, urls):
    client.force_login(partner_contact)

    assert set(statuses(client, urls["list"]).values()) == {200}
    assert set(statuses(client, urls["own"]).values()) == {200}
    assert set(statuses(client, urls["other"]).values()) == {404}
