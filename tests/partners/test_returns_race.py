"""Two people sending the first return for the same KPI and quarter: the second gets the form
back, as typed, with who sent the other one and when; never a 500, and nothing overwritten."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.forms import KpiReturnForm, quarter_value
from partners.models import KpiReturn
from partners.performance import Quarter
from tests.factories import AgreementFactory, KpiFactory, KpiReturnFactory, UserFactory

LAST_QUARTER = Quarter.containing(timezone.localdate()).previous()


@pytest.fixture
def kpi(partner_organisation):
    agreement = AgreementFactory(
        organisation=partner_organisation,
        start_date=LAST_QUARTER.previous().start,
        end_date=LAST_QUARTER.next().next().end,
    )
    return KpiFactory(agreement=agreement, name="Sessions run")


def return_form(kpi, value, quarter=LAST_QUARTER):
    return {"kpi": kpi.pk, "period": quarter_value(quarter), "value": value, "commentary": ""}


def named_officer():
    from core.roles import OFFICER

    return UserFactory(username="olive", first_name="Olive", last_name="Officer", groups=[OFFICER])


@pytest.mark.django_db
def test_a_return_already_sent_is_reported_with_who_and_when(client, partner_contact, kpi):
    sent = KpiReturnFactory(
        kpi=kpi,
        financial_year=LAST_QUARTER.year,
        quarter=LAST_QUARTER.number,
        value=Decimal("12"),
        submitted_by=named_officer(),
        submitted_at=timezone.make_aware(datetime.datetime(2026, 5, 4, 14, 32)),
    )
    client.force_login(partner_contact)

    response = client.post(reverse("admin:partners_kpireturn_add"), return_form(kpi, "17.5"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "it was submitted by Olive Officer on 4 May 2026 at 14:32 while" in page
    assert reverse("admin:partners_kpireturn_change", args=[sent.pk]) in page
    assert 'value="17.5"' in page  # the typed figure is still there
    assert page.count("A return for this KPI and quarter") == 1  # not twice
    assert list(KpiReturn.objects.values_list("value", flat=True)) == [Decimal("12")]


@pytest.mark.django_db
def test_a_return_sent_after_the_form_was_checked_gives_the_form_back_not_a_500(
    client, partner_contact, kpi, monkeypatch
):
    """The officer's return lands just after the partner's form passed its checks."""
    officer = named_officer()
    post_clean = KpiReturnForm._post_clean

    def officer_gets_there_first(self):
        post_clean(self)  # the last of the form's checks
        if not KpiReturn.objects.exists():
            KpiReturnFactory(
                kpi=kpi,
                financial_year=LAST_QUARTER.year,
                quarter=LAST_QUARTER.number,
                value=Decimal("12"),
                submitted_by=officer,
            )

    monkeypatch.setattr(KpiReturnForm, "_post_clean", officer_gets_there_first)
    client.force_login(partner_contact)

    response = client.post(reverse("admin:partners_kpireturn_add"), return_form(kpi, "17"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "was submitted by Olive Officer on" in page
    assert 'value="17"' in page
    assert list(KpiReturn.objects.values_list("value", flat=True)) == [Decimal("12")]


@pytest.mark.django_db
def test_the_unique_constraint_catching_the_race_is_reported_as_the_return_taken(
    kpi, partner_contact, monkeypatch
):
    """Past every check, the other return commits a moment before this one's insert: the
    database refuses it, and the service says which return is in the way."""
    officer, partner = named_officer(), partner_contact
    full_clean = KpiReturn.full_clean
    rival = []

    def officer_commits_now(self, *args, **kwargs):
        full_clean(self, *args, **kwargs)
        if not rival:
            rival.append(
                KpiReturnFactory(
                    kpi=kpi,
                    financial_year=LAST_QUARTER.year,
                    quarter=LAST_QUARTER.number,
                    value=Decimal("12"),
                    submitted_by=officer,
                )
            )

    monkeypatch.setattr(KpiReturn, "full_clean", officer_commits_now)
    late = KpiReturn(
        kpi=kpi, financial_year=LAST_QUARTER.year, quarter=LAST_QUARTER.number, value=17
    )

    with pytest.raises(services.ReturnTaken) as taken:
        services.save_kpi_return(kpi_return=late, user=partner)

    assert taken.value.existing == rival[0]
    assert late.pk is None


@pytest.mark.django_db
def test_a_new_return_is_recorded_as_sent_by_whoever_sent_it(client, partner_contact, kpi):
    client.force_login(partner_contact)

    response = client.post(reverse("admin:partners_kpireturn_add"), return_form(kpi, "9"))

    assert response.status_code == 302
    saved = KpiReturn.objects.get()
    assert (saved.value, saved.submitted_by) == (9, partner_contact)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"
)
def test_an_officer_and_the_partner_sending_the_first_return_at_once(partner_contact, kpi):
    """Real threads, each with its own connection, posting at the same moment, 8 rounds (the
    outside test saw a 500 in 10 of 12): one return saved, the other person told."""
    officer = named_officer()
    people = {"officer": officer, "partner": partner_contact}
    clients = {}
    for name, user in people.items():
        clients[name] = Client()
        clients[name].force_login(user)
    quarters = [LAST_QUARTER, LAST_QUARTER.previous()]
    kpis = [kpi, *(KpiFactory(agreement=kpi.agreement) for _ in range(3))]
    rounds = [(k, q) for k in kpis for q in quarters]
    url = reverse("admin:partners_kpireturn_add")
    failures = []

    for round_kpi, quarter in rounds:
        barrier = threading.Barrier(2)
        answers = {}

        def send(name, round_kpi=round_kpi, quarter=quarter, barrier=barrier, answers=answers):
            try:
                figure = "11" if name == "officer" else "22"
                barrier.wait()
                answers[name] = clients[name].post(url, return_form(round_kpi, figure, quarter))
            except Exception as exc:  # reported below with the round
                failures.append((round_kpi.pk, quarter, name, repr(exc)))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=send, args=(name,)) for name in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if len(answers) < 2:
            continue
        saved = KpiReturn.objects.filter(
            kpi=round_kpi, financial_year=quarter.year, quarter=quarter.number
        ).select_related("submitted_by")
        if saved.count() != 1:
            failures.append((round_kpi.pk, quarter, f"{saved.count()} returns saved"))
            continue
        winner = "officer" if saved.get().submitted_by == officer else "partner"
        loser = "partner" if winner == "officer" else "officer"
        page = answers[loser].content.decode()
        if not (
            answers[winner].status_code == 302
            and answers[loser].status_code == 200
            and "A return for this KPI and quarter already exists: it was submitted by" in page
            and f'value="{"11" if loser == "officer" else "22"}"' in page  # as typed
        ):
            failures.append((round_kpi.pk, quarter, loser, "not told who sent it"))

    assert failures == []
