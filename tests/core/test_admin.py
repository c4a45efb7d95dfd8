"""Optimistic locking on every staff admin change form (core.admin.CheckedAdminForm): two
officers editing the same record from forms opened before either saved. The second save is
refused with who changed it; the first edit survives; saving the re-shown form again
overwrites knowingly."""

import threading
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.roles import OFFICER
from partners.models import Agreement, Contact, Kpi, KpiReturn, Organisation
from partners.performance import Quarter
from tests.factories import (
    AgreementFactory,
    KpiFactory,
    KpiReturnFactory,
    OrganisationFactory,
    UserFactory,
)

CHANGED = "This record was changed by someone else since you opened it"
LAST_QUARTER = Quarter.containing(timezone.localdate()).previous()


class FormReader(HTMLParser):
    """What a browser sends back from the admin's change form: its inputs, ticked boxes,
    chosen options and text areas, as they are on the page."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = {"name": name, "first": None, "chosen": []}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"] or [self.select["first"] or ""]
            self.data.extend((self.select["name"], value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.data.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None


def form_data(response, model_name, **typed):
    """The change form on this page as the browser would post it, with `typed` typed in."""
    reader = FormReader(f"{model_name}_form")
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    for name, value in typed.items():
        data[name] = [value]
    return data


def officer_client(username, first_name):
    user = UserFactory(
        username=username, first_name=first_name, last_name="Officer", groups=[OFFICER]
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def olive(db):
    return officer_client("olive", "Olive")


@pytest.fixture
def sam(db):
    return officer_client("sam", "Sam")


@pytest.fixture
def kpi_return(db):
    agreement = AgreementFactory(
        start_date=LAST_QUARTER.previous().start, end_date=LAST_QUARTER.next().next().end
    )
    return KpiReturnFactory(
        kpi=KpiFactory(agreement=agreement),
        financial_year=LAST_QUARTER.year,
        quarter=LAST_QUARTER.number,
        value=Decimal("10"),
        commentary="First count",
    )


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


@pytest.mark.django_db
def test_the_second_of_two_stale_kpi_return_forms_is_refused_and_the_first_edit_kept(
    olive, sam, kpi_return
):
    url = change_url(kpi_return)
    olive_form = olive.get(url)
    sam_form = sam.get(url)

    first = olive.post(url, form_data(olive_form, "kpireturn", value="20"))
    second = sam.post(url, form_data(sam_form, "kpireturn", value="30", commentary="Recounted"))

    assert first.status_code == 302
    assert second.status_code == 200
    page = second.content.decode()
    assert CHANGED in page
    assert "(by Olive Officer at " in page  # from the record's history
    assert "Your changes have not been saved. Check the current values and save again." in page
    assert "Saved now, where it differs from this form: Value: 20.00; Commentary: First" in page
    assert 'value="30"' in page and "Recounted</textarea>" in page  # as Sam typed them
    kpi_return.refresh_from_db()
    assert (kpi_return.value, kpi_return.commentary) == (Decimal("20"), "First count")


@pytest.mark.django_db
def test_saving_the_form_shown_again_overwrites_knowingly(olive, sam, kpi_return):
    url = change_url(kpi_return)
    sam_form = sam.get(url)
    olive.post(url, form_data(olive.get(url), "kpireturn", value="20"))
    refused = sam.post(url, form_data(sam_form, "kpireturn", value="30"))

    again = sam.post(url, form_data(refused, "kpireturn"))

    assert again.status_code == 302
    kpi_return.refresh_from_db()
    assert kpi_return.value == Decimal("30")


@pytest.mark.django_db
def test_a_form_shown_again_for_a_mistake_still_notices_an_edit_made_meanwhile(
    olive, sam, kpi_return
):
    url = change_url(kpi_return)
    mistake = sam.post(url, form_data(sam.get(url), "kpireturn", value="lots"))
    assert mistake.status_code == 200 and CHANGED not in mistake.content.decode()
    olive.post(url, form_data(olive.get(url), "kpireturn", value="20"))

    corrected = sam.post(url, form_data(mistake, "kpireturn", value="30"))

    assert corrected.status_code == 200
    assert CHANGED in corrected.content.decode()
    kpi_return.refresh_from_db()
    assert kpi_return.value == Decimal("20")


@pytest.mark.django_db
def test_a_fresh_form_saves_normally(olive, kpi_return):
    url = change_url(kpi_return)
    page = olive.get(url)
    assert 'name="_record_fingerprint"' in page.content.decode()

    response = olive.post(url, form_data(page, "kpireturn", value="25"))

    assert response.status_code == 302
    kpi_return.refresh_from_db()
    assert kpi_return.value == Decimal("25")


@pytest.mark.django_db
def test_two_stale_agreement_forms_keep_the_first_edit_with_its_inline_rows(olive, sam):
    agreement = AgreementFactory(title="Community transport")
    url = change_url(agreement)
    olive_form, sam_form = olive.get(url), sam.get(url)
    added_kpi = {
        "kpis-TOTAL_FORMS": "1",
        "kpis-0-name": "Passenger journeys",
        "kpis-0-unit": "journeys",
        "kpis-0-target": "2500",
        "kpis-0-direction": "higher",
    }

    first = olive.post(
        url, {**form_data(olive_form, "agreement", title="Community transport 2026"), **added_kpi}
    )
    second = sam.post(url, form_data(sam_form, "agreement", title="Door-to-door transport"))

    assert first.status_code == 302, first.context and first.context["errors"]
    assert second.status_code == 200
    page = second.content.decode()
    assert CHANGED in page
    assert "Title: Community transport 2026" in page
    assert 'value="Door-to-door transport"' in page
    agreement.refresh_from_db()
    assert agreement.title == "Community transport 2026"
    assert list(Kpi.objects.filter(agreement=agreement).values_list("name", flat=True)) == [
        "Passenger journeys"
    ]


@pytest.mark.django_db
def test_an_organisation_form_with_its_contact_rows_saves_when_fresh_and_not_when_stale(olive, sam):
    organisation = OrganisationFactory(name="Basildon Community Transport")
    contact = Contact.objects.create(organisation=organisation, name="Pat Jones")
    url = change_url(organisation)
    stale = sam.get(url)
    fresh = olive.get(url)

    saved = olive.post(
        url,
        form_data(fresh, "organisation", **{"contacts-0-name": "Pat Smith", "phone": "01268 1"}),
    )
    refused = sam.post(url, form_data(stale, "organisation", **{"contacts-0-name": "P Jones"}))

    assert saved.status_code == 302, saved.context and saved.context["errors"]
    assert refused.status_code == 200 and CHANGED in refused.content.decode()
    contact.refresh_from_db()
    organisation.refresh_from_db()
    assert (contact.name, organisation.phone) == ("Pat Smith", "01268 1")


@pytest.mark.django_db
def test_a_post_without_a_fingerprint_is_saved_as_before(olive, kpi_return):
    """The history revert form, or a script: no fingerprint, no check."""
    url = change_url(kpi_return)
    data = form_data(olive.get(url), "kpireturn", value="40")
    del data["_record_fingerprint"]

    assert olive.post(url, data).status_code == 302
    kpi_return.refresh_from_db()
    assert kpi_return.value == Decimal("40")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"
)
def test_two_officers_saving_stale_forms_at_the_same_moment_save_one():
    """Real threads, each with its own connection: the record is read again under a lock, so
    the second save waits for the first and then sees it (6 rounds)."""
    clients = [officer_client("olive", "Olive"), officer_client("sam", "Sam")]
    organisation = OrganisationFactory(name="Basildon Community Transport")
    url = change_url(organisation)
    problems = []

    for round_number in range(6):
        forms = [client.get(url) for client in clients]
        barrier = threading.Barrier(2)
        answers = [None, None]

        def save(n, forms=forms, barrier=barrier, answers=answers, round_number=round_number):
            try:
                data = form_data(forms[n], "organisation", phone=f"01268 {round_number}{n}")
                barrier.wait()
                answers[n] = clients[n].post(url, data)
            except Exception as exc:  # reported below with the round
                problems.append((round_number, n, repr(exc)))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        codes = sorted(answer.status_code for answer in answers if answer is not None)
        if codes != [200, 302]:
            problems.append((round_number, codes))
            continue
        winner = next(n for n in range(2) if answers[n].status_code == 302)
        loser = answers[1 - winner]
        if CHANGED not in loser.content.decode():
            problems.append((round_number, "no message"))
        saved = Organisation.objects.get(pk=organisation.pk).phone
        if saved != f"01268 {round_number}{winner}":
            problems.append((round_number, "kept", saved))

    assert problems == []


@pytest.mark.django_db
def test_a_kpi_return_edited_by_nobody_else_is_not_refused_after_an_agreement_edit(
    olive, sam, kpi_return
):
    """Only the record itself counts: an edit to its agreement is not a conflict."""
    url = change_url(kpi_return)
    sam_form = sam.get(url)
    agreement = Agreement.objects.get(kpis__returns=kpi_return)
    agreement_url = change_url(agreement)
    olive.post(agreement_url, form_data(olive.get(agreement_url), "agreement", title="Renamed"))

    response = sam.post(url, form_data(sam_form, "kpireturn", value="12"))

    assert response.status_code == 302
    assert KpiReturn.objects.get(pk=kpi_return.pk).value == Decimal("12")
