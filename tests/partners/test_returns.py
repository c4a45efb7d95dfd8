"""KPI returns pre-filled from the records: the return form, the agreement page's figure so far,
and the partner-facing returns page with its reminders."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.forms import quarter_value
from partners.models import KpiReturn
from partners.performance import Measure, Quarter
from tests.factories import (
    AgreementFactory,
    EngagementFactory,
    HubFactory,
    KpiFactory,
    KpiReturnFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_QUARTER = Quarter.containing(TODAY)
LAST_QUARTER = THIS_QUARTER.previous()


@pytest.fixture
def linked(partner_organisation):
    """The partner leads a hub with three sessions last quarter; its KPI counts the people."""
    hub = HubFactory(lead_partner=partner_organisation)
    for day, people in ((LAST_QUARTER.start, 14), (LAST_QUARTER.end, 9), (THIS_QUARTER.start, 30)):
        EngagementFactory(hub=hub, date=day, people=people, new_people=1)
    agreement = AgreementFactory(
        organisation=partner_organisation,
        start_date=LAST_QUARTER.previous().start,
        end_date=THIS_QUARTER.next().end,
    )
    return KpiFactory(
        agreement=agreement,
        name="People at the hub",
        measure=Measure.HUB_PEOPLE,
        target=Decimal("20"),
    )


def add_url(kpi, quarter=LAST_QUARTER):
    return f"{reverse('admin:partners_kpireturn_add')}?kpi={kpi.pk}&period={quarter_value(quarter)}"


def post_return(client, kpi, value, commentary="", quarter=LAST_QUARTER):
    return client.post(
        reverse("admin:partners_kpireturn_add"),
        {
            "kpi": kpi.pk,
            "period": quarter_value(quarter),
            "value": value,
            "commentary": commentary,
        },
    )


def test_the_return_form_is_pre_filled_with_the_figure_and_how_it_was_counted(
    client, partner_contact, linked
):
    client.force_login(partner_contact)

    response = client.get(add_url(linked))

    assert response.status_code == 200
    assert response.context["adminform"].form.initial["value"] == 23
    page = response.content.decode()
    assert 'name="value" value="23"' in page
    assert "From the system's records: 23 people. 23 people (2 new) at 2 sessions" in page


def test_the_explanation_escapes_what_officers_typed(client, officer, linked):
    linked.unit = "<script>alert(1)</script>"
    linked.save()
    client.force_login(officer)

    page = client.get(add_url(linked)).content.decode()

    assert "records: 23 &lt;script&gt;alert(1)&lt;/script&gt;." in page
    assert "<script>alert(1)" not in page


def test_confirming_the_figure_keeps_the_computed_and_the_confirmed_value(
    client, partner_contact, linked
):
    client.force_login(partner_contact)

    response = post_return(client, linked, "23")

    assert response.status_code == 302
    saved = KpiReturn.objects.get(kpi=linked)
    assert (saved.value, saved.computed_value) == (23, 23)
    assert saved.computed_note.startswith("23 people (2 new) at 2 sessions")
    assert saved.submitted_by == partner_contact
    assert not saved.corrected


def test_a_correction_needs_a_comment_and_keeps_both_figures(client, partner_contact, linked):
    client.force_login(partner_contact)

    refused = post_return(client, linked, "25")

    assert refused.status_code == 200
    assert "Say why your figure differs from the 23 people the system" in refused.content.decode()
    assert not KpiReturn.objects.exists()

    accepted = post_return(client, linked, "25", "Two people came to a session we did not log.")

    assert accepted.status_code == 302
    saved = KpiReturn.objects.get(kpi=linked)
    assert (saved.value, saved.computed_value, saved.corrected) == (25, 23, True)


def test_the_figure_is_counted_again_when_the_return_is_saved(client, partner_contact, linked):
    client.force_login(partner_contact)
    client.get(add_url(linked))
    hub = linked.agreement.organisation.led_hubs.get()
    EngagementFactory(hub=hub, date=LAST_QUARTER.end, people=5)

    response = post_return(client, linked, "23")

    assert response.status_code == 200  # the records now say 28: 23 needs a reason
    assert "differs from the 28 people" in response.content.decode()


def test_another_partner_cannot_see_or_submit_the_figure(client, other_partner_contact, linked):
    client.force_login(other_partner_contact)

    page = client.get(add_url(linked)).content.decode()
    posted = post_return(client, linked, "23")

    assert "From the system" not in page and "23 people" not in page
    assert posted.status_code == 200
    assert "Select a valid choice" in posted.content.decode()
    assert not KpiReturn.objects.exists()


def test_an_unlinked_kpi_is_not_pre_filled(officer_client):
    kpi = KpiFactory(agreement=AgreementFactory(start_date=LAST_QUARTER.start))

    response = officer_client.get(add_url(kpi))

    assert "value" not in response.context["adminform"].form.initial
    assert post_return(officer_client, kpi, "7").status_code == 302
    saved = KpiReturn.objects.get(kpi=kpi)
    assert (saved.value, saved.computed_value, saved.computed_note) == (7, None, "")


def test_the_agreement_page_shows_the_figure_so_far_this_quarter(officer_client, linked):
    url = reverse("admin:partners_agreement_change", args=[linked.agreement.pk])

    before = officer_client.get(url).content.decode()
    EngagementFactory(
        hub=linked.agreement.organisation.led_hubs.get(), date=THIS_QUARTER.start, people=6
    )
    after = officer_client.get(url).content.decode()

    assert f"{THIS_QUARTER.label} so far, from the system’s records" in before
    assert "<strong>30 people</strong>" in before
    assert "<strong>36 people</strong>" in after


def test_the_agreement_page_shows_a_corrected_return_and_the_records_figure(officer_client, linked):
    KpiReturnFactory(
        kpi=linked,
        financial_year=LAST_QUARTER.year,
        quarter=LAST_QUARTER.number,
        value=Decimal("25"),
        computed_value=Decimal("23"),
    )

    page = officer_client.get(
        reverse("admin:partners_agreement_change", args=[linked.agreement.pk])
    ).content.decode()

    assert "Records showed 23" in page


# --- The partner's returns page -------------------------------------------------------------


def test_the_returns_page_shows_the_partner_its_own_kpis_only(
    client, partner_contact, linked, settings
):
    settings.PARTNERS_RETURN_REMINDER_DAYS = 0
    settings.PARTNERS_RETURN_GRACE_DAYS = 100  # due after today, whatever today is
    theirs = KpiFactory(
        name="Someone else's KPI", agreement=AgreementFactory(organisation=OrganisationFactory())
    )
    client.force_login(partner_contact)

    response = client.get(reverse("kpi_returns"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "People at the hub" in page and theirs.name not in page
    assert "Pre-filled: <strong>23 people</strong>" in page
    assert "<strong>30 people</strong>" in page
    assert "30 people (1 new) at 1 session" in page
    assert add_url(linked).replace("&", "&amp;") in page
    assert "govuk-notification-banner" not in page  # no reminder yet


def test_the_returns_page_reminds_before_the_deadline(client, partner_contact, linked, settings):
    settings.PARTNERS_RETURN_GRACE_DAYS = 100
    settings.PARTNERS_RETURN_REMINDER_DAYS = 100
    due_by = LAST_QUARTER.end + datetime.timedelta(days=100)
    client.force_login(partner_contact)

    page = client.get(reverse("kpi_returns")).content.decode()

    assert "govuk-notification-banner" in page
    days = (due_by - TODAY).days
    assert f"due by {due_by:%-d %B %Y}: {days} day" in page
    assert f'href="{add_url(linked).replace("&", "&amp;")}">People at the hub</a>' in page


def test_the_returns_page_says_when_a_return_is_overdue(client, partner_contact, linked, settings):
    settings.PARTNERS_RETURN_GRACE_DAYS = 0  # due the day the quarter ended: before today
    client.force_login(partner_contact)

    page = client.get(reverse("kpi_returns")).content.decode()

    assert "is overdue" in page
    assert 'govuk-tag--red">Overdue' in page


def test_a_kpi_reported_from_this_quarter_is_not_overdue_and_says_when_it_starts(
    client, partner_contact, officer_client, linked, settings
):
    settings.PARTNERS_RETURN_GRACE_DAYS = 0  # last quarter's returns are overdue
    linked.reported_from = THIS_QUARTER.start
    linked.save()
    client.force_login(partner_contact)

    page = client.get(reverse("kpi_returns")).content.decode()

    assert "Overdue" not in page and "Also missing" not in page
    assert f"Not due: reported from {THIS_QUARTER.start:%-d %B %Y}" in page
    grid = officer_client.get(
        reverse("admin:partners_agreement_change", args=[linked.agreement.pk])
    ).content.decode()
    assert f"Before this KPI (reported from {THIS_QUARTER.start:%-d %b %Y})" in grid
    assert "rag--overdue" not in grid


def test_a_submitted_return_shows_its_rating_and_leaves_the_reminders(
    client, partner_contact, linked, settings
):
    settings.PARTNERS_RETURN_REMINDER_DAYS = 400
    client.force_login(partner_contact)
    post_return(client, linked, "23")

    page = client.get(reverse("kpi_returns")).content.decode()

    assert "Submitted: 23 people" in page
    assert "Good" in page
    assert "govuk-notification-banner" not in page


def test_the_returns_page_takes_the_same_queries_for_many_agreements(
    officer_client, linked, django_assert_max_num_queries
):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(reverse("kpi_returns")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(12):
        org = OrganisationFactory()
        HubFactory(lead_partner=org)
        KpiFactory(agreement=AgreementFactory(organisation=org), measure=Measure.HUB_SESSIONS)
        KpiFactory(agreement=AgreementFactory(organisation=org))
    assert count() == few


def test_coordinators_and_the_public_cannot_open_the_returns_page(client, coordinator_a):
    anonymous = client.get(reverse("kpi_returns"))
    client.force_login(coordinator_a)
    coordinator = client.get(reverse("kpi_returns"))

    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]
    assert coordinator.status_code == 403


@pytest.mark.parametrize(
    "kpi,period",
    [
        ("999999999999999999", "2025-2"),
        ("abc", "x"),
        ("-1", "2025-2"),
        ("\u0661", "2025-2"),  # an Arabic-Indic digit: isdigit() but not an id
        ("{pk}", "2025-9"),
        ("{pk}", "1800-1"),
    ],
)
def test_a_hand_made_return_link_shows_the_form_without_a_figure(
    officer_client, linked, kpi, period
):
    url = reverse("admin:partners_kpireturn_add")
    response = officer_client.get(url, {"kpi": kpi.format(pk=linked.pk), "period": period})
    posted = officer_client.post(
        url, {"kpi": kpi.format(pk=linked.pk), "period": period, "value": "1"}
    )

    assert response.status_code == 200
    assert "From the system" not in response.content.decode()
    assert posted.status_code == 200  # the form again, with its errors
    assert not KpiReturn.objects.exists()


def test_the_returns_page_is_paged_by_agreement_and_reminds_about_every_page(
    officer_client, linked, settings
):
    settings.PARTNERS_RETURN_GRACE_DAYS = 0  # every missing last-quarter return is overdue
    for n in range(30):
        KpiFactory(
            name=f"Extra KPI {n:02d}",
            agreement=AgreementFactory(
                organisation=OrganisationFactory(name=f"Zed charity {n:02d}"),
                start_date=LAST_QUARTER.start,
            ),
        )
    url = reverse("kpi_returns")

    first = officer_client.get(url).content.decode()
    second = officer_client.get(url, {"page": "2"}).content.decode()

    assert "People at the hub" in first  # "Basildon CVS" sorts first
    assert "Extra KPI 29" not in first and "Extra KPI 29" in second
    assert f"31 {LAST_QUARTER.label} returns are overdue" in first  # all pages, not one
    assert "and 21 more" in first
    for junk in ("abc", "0", "-1", "999", "1e9"):
        assert officer_client.get(url, {"page": junk}).status_code == 200, junk


def test_the_dashboard_reminds_the_partner_and_links_to_its_returns(
    client, partner_contact, linked, settings
):
    settings.PARTNERS_RETURN_GRACE_DAYS = 100
    client.force_login(partner_contact)

    settings.PARTNERS_RETURN_REMINDER_DAYS = 0  # not yet
    quiet = client.get(reverse("dashboard")).content.decode()
    settings.PARTNERS_RETURN_REMINDER_DAYS = 100
    reminded = client.get(reverse("dashboard")).content.decode()
    post_return(client, linked, "23")
    submitted = client.get(reverse("dashboard")).content.decode()

    due_by = LAST_QUARTER.end + datetime.timedelta(days=100)
    assert "to submit by" not in quiet
    assert f"1 {LAST_QUARTER.label} KPI return</a> to submit by {due_by:%-d %B %Y}" in reminded
    assert f'href="{reverse("kpi_returns")}">Check and submit KPI returns' in reminded
    assert "to submit by" not in submitted


# --- after submitting: the return, its rating and what happens next -------------------------


def test_partner_lands_on_the_return_with_its_rating_and_next_steps(
    client, partner_contact, linked
):
    client.force_login(partner_contact)

    response = post_return(client, linked, "1", commentary="The venue was shut for a month")

    saved = KpiReturn.objects.get(kpi=linked)
    assert response.status_code == 302
    assert response["Location"] == reverse("kpi_return", args=[saved.pk])
    html = client.get(response["Location"]).content.decode()
    assert 'Rating: <strong class="govuk-tag govuk-tag--red">Inadequate</strong>' in html
    assert "What happens next" in html and "agree an improvement plan" in html
    assert "Return submitted" in html and "Records showed" not in html
    assert "23 people (corrected in this return)" in html


def test_an_officer_still_goes_back_to_the_list(officer_client, linked):
    response = post_return(officer_client, linked, "23")
    assert response["Location"] == reverse("admin:partners_kpireturn_changelist")


def test_another_organisations_return_is_a_404(client, other_partner_contact, linked):
    kpi_return = KpiReturnFactory(kpi=linked)
    client.force_login(other_partner_contact)
    assert client.get(reverse("kpi_return", args=[kpi_return.pk])).status_code == 404


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808", "0"])
def test_an_impossible_return_is_a_404(officer_client, pk):
    assert officer_client.get(f"/staff/returns/{pk}/").status_code == 404
