import csv
import datetime
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from directory.csv_io import COLUMNS
from directory.models import Schedule, Service, ServiceLanguage, Suggestion
from tests.factories import (
    AreaFactory,
    LocationFactory,
    OrganisationFactory,
    PostcodeFactory,
    ScheduleFactory,
    ServiceFactory,
    SuggestionFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:directory_service_changelist")
IMPORT = reverse("admin:directory_service_import")


@pytest.mark.parametrize(
    "model", ["service", "suggestion", "location", "taxonomyterm", "postcode", "area"]
)
def test_officer_changelists_run_a_bounded_number_of_queries(
    officer_client, django_assert_max_num_queries, model
):
    for _ in range(15):
        service = ServiceFactory(locations=[LocationFactory(area=AreaFactory())])
        SuggestionFactory(service=service)
        TaxonomyTermFactory(parent=TaxonomyTermFactory())
        PostcodeFactory()

    with django_assert_max_num_queries(16):
        response = officer_client.get(reverse(f"admin:directory_{model}_changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "model", ["service", "suggestion", "location", "taxonomyterm", "postcode", "area"]
)
def test_officer_can_open_add_forms(officer_client, model):
    assert officer_client.get(reverse(f"admin:directory_{model}_add")).status_code == 200


def test_coordinator_cannot_manage_services(client, coordinator):
    client.force_login(coordinator)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(IMPORT).status_code == 403


def test_stale_filter_and_flag(officer_client):
    ServiceFactory(name="Old listing", last_reviewed=datetime.date(2020, 1, 1))
    ServiceFactory(name="Fresh listing")

    html = officer_client.get(CHANGELIST, {"review": "stale"}).content.decode()

    assert "Old listing" in html
    assert "Fresh listing" not in html
    assert "Needs review" in html


def test_mark_reviewed_action_updates_and_audits(officer_client):
    old = ServiceFactory(last_reviewed=datetime.date(2020, 1, 1))

    response = officer_client.post(
        CHANGELIST, {"action": "mark_reviewed", "_selected_action": [old.pk]}
    )

    assert response.status_code == 302
    old.refresh_from_db()
    assert old.last_reviewed == timezone.localdate()
    assert LogEntry.objects.filter(object_id=str(old.pk), change_message="Marked as reviewed")


def test_service_change_form_edits_schedules_inline(officer_client):
    service = ServiceFactory()
    ScheduleFactory(service=service)

    response = officer_client.get(reverse("admin:directory_service_change", args=[service.pk]))

    assert response.status_code == 200
    assert "schedules-0-weekday" in response.content.decode()


def test_organisation_admin_shows_areas_served(officer_client):
    org = OrganisationFactory()
    AreaFactory(name="Wickford").organisations.add(org)

    response = officer_client.get(reverse("admin:partners_organisation_change", args=[org.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Areas served" in html or "areas served" in html


def export(client, services):
    response = client.post(
        CHANGELIST, {"action": "export_csv", "_selected_action": [s.pk for s in services]}
    )
    assert response["Content-Type"].startswith("text/csv")
    return response.content.decode()


def test_export_has_one_row_per_service_and_defuses_formulas(officer_client):
    term = TaxonomyTermFactory(name="Food")
    service = ServiceFactory(name="=HYPERLINK(evil)", categories=[term])
    ScheduleFactory(service=service)

    rows = list(csv.DictReader(io.StringIO(export(officer_client, [service]))))

    assert len(rows) == 1
    assert rows[0]["name"] == "'=HYPERLINK(evil)"
    assert rows[0]["categories"] == "food"
    assert rows[0]["schedules"] == "TU 10:00-12:00"
    assert rows[0]["uuid"] == str(service.uuid)


def upload(client, text):
    return client.post(IMPORT, {"file": SimpleUploadedFile("services.csv", text.encode())})


def test_export_then_import_round_trips_unchanged(officer_client):
    service = ServiceFactory(phone="+44 1268 000000", minimum_age=11, maximum_age=18)
    ScheduleFactory(service=service, location=LocationFactory(), description="Term time")
    text = export(officer_client, [service])

    response = upload(officer_client, text)

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.phone == "+44 1268 000000"
    # The schedule column did not change, so the schedule keeps its place and description.
    assert service.schedules.get().description == "Term time"


def test_import_creates_and_updates_services(officer_client):
    org = OrganisationFactory(slug="good-neighbours")
    term = TaxonomyTermFactory(name="Food")
    place = LocationFactory()
    existing = ServiceFactory(name="Old name", organisation=org)
    text = (
        "uuid,name,organisation,description,categories,locations,schedules,cost,last_reviewed\n"
        f"{existing.uuid},New name,good-neighbours,Updated,food,,,free,2026-01-31\n"
        f",Lunch club,good-neighbours,Hot meals,food,{place.uuid},WE 12:00-14:00; FR,donation,\n"
    )

    response = upload(officer_client, text)

    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.name == "New name"
    assert existing.last_reviewed == datetime.date(2026, 1, 31)
    lunch = Service.objects.get(name="Lunch club")
    assert lunch.cost == Service.Cost.DONATION
    assert list(lunch.categories.all()) == [term]
    assert list(lunch.locations.all()) == [place]
    assert [str(s) for s in lunch.schedules.all()] == ["Wednesday midday to 2pm", "Friday"]


def test_languages_go_out_and_come_back_in_the_csv(officer_client):
    org = OrganisationFactory(slug="good-neighbours")
    service = ServiceFactory(name="Advice drop-in", organisation=org)
    ServiceLanguage.objects.create(service=service, language="bfi", note="Tuesdays only")
    ServiceLanguage.objects.create(service=service, language="pl")
    text = export(officer_client, [service])
    assert next(csv.DictReader(io.StringIO(text)))["languages"] == "bfi;pl"
    # The officer drops Polish and adds English by name, and a new service gets two.
    text = text.replace("bfi;pl", "bfi; english")
    new_row = {"name": "Sign-along", "organisation": "good-neighbours", "description": "Songs"}
    new_row["languages"] = "British Sign Language;cy"
    out = io.StringIO()
    csv.DictWriter(out, fieldnames=COLUMNS, restval="").writerow(new_row)
    text += out.getvalue()

    response = upload(officer_client, text)

    assert response.status_code == 302
    kept = {s.language: s.note for s in service.languages.all()}
    assert kept == {"bfi": "Tuesdays only", "en": ""}  # the note stays with BSL
    new = Service.objects.get(name="Sign-along")
    assert sorted(new.languages.values_list("language", flat=True)) == ["bfi", "cy"]


def test_import_reports_every_bad_row_and_saves_nothing(officer_client):
    OrganisationFactory(slug="good-neighbours")
    text = (
        "uuid,name,organisation,description,cost,minimum_age,maximum_age,schedules,languages\n"
        ",Fine row,good-neighbours,Fine,free,,,,en\n"
        ",Bad org,nobody,Text,free,,,,\n"
        ",Bad cost,good-neighbours,Text,expensive,,,,\n"
        ",Bad ages,good-neighbours,Text,free,18,11,,\n"
        ",Odd age,good-neighbours,Text,free,\u00b2,,,\n"
        "not-a-uuid,Bad uuid,good-neighbours,Text,free,,,,\n"
        ",Bad times,good-neighbours,Text,free,,,TU 12:00-10:00,\n"
        ",,good-neighbours,,free,,,,\n"
        ",Bad language,good-neighbours,Text,free,,,,klingon\n"
    )

    response = upload(officer_client, text)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported" in html
    for snippet in (
        "unknown organisation",
        "expensive",
        "Maximum age",
        "uuid is not valid",
        "Closing time must be after opening time",
        "This field cannot be blank",
        "minimum_age must be a whole number",
        "unknown language &#x27;klingon&#x27;",
    ):
        assert snippet in html, snippet
    for row in range(3, 11):
        assert f"<td>{row}</td>" in html
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    "content,message",
    [
        (b"\xff\xfe\x00b\x00a\x00d", "not UTF-8"),
        (b"name,email\nx,y\n", "Missing columns"),
        (b"name,organisation,description\n", "no rows"),
    ],
)
def test_import_explains_a_wrong_file(officer_client, content, message):
    response = officer_client.post(IMPORT, {"file": SimpleUploadedFile("x.csv", content)})

    assert response.status_code == 200
    assert message in response.content.decode()


def test_moderation_queue_shows_pending_first_and_approve_action_publishes(officer_client):
    org = OrganisationFactory(name="Pitsea Crafters")
    PostcodeFactory(postcode="SS13 1AQ")
    old_rejected = SuggestionFactory(name="Old one", status=Suggestion.Status.REJECTED)
    pending = SuggestionFactory(name="Craft club", organisation_name="Pitsea Crafters")
    url = reverse("admin:directory_suggestion_changelist")

    html = officer_client.get(url).content.decode()
    assert html.index("Craft club") < html.index(old_rejected.name)

    response = officer_client.post(url, {"action": "approve", "_selected_action": [pending.pk]})

    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Suggestion.Status.APPROVED
    assert pending.service.organisation == org
    assert LogEntry.objects.filter(object_id=str(pending.pk), change_message="Approved")
    assert "not in the postcode lookup" not in officer_client.get(url).content.decode()


def test_approve_action_says_when_the_suggested_place_could_not_be_added(officer_client):
    OrganisationFactory(name="Pitsea Crafters")
    pending = SuggestionFactory(
        name="Craft club",
        organisation_name="Pitsea Crafters",
        address="Pitsea Library, Rectory Road",
        postcode="SS13 9ZZ",  # not in the postcode lookup: no town, no map position
    )
    url = reverse("admin:directory_suggestion_changelist")

    response = officer_client.post(
        url, {"action": "approve", "_selected_action": [pending.pk]}, follow=True
    )

    html = response.content.decode()
    assert "1 suggestion approved." in html
    assert "SS13 9ZZ is not in the postcode lookup" in html
    assert "Pitsea Library, Rectory Road" in html
    pending.refresh_from_db()
    assert pending.status == Suggestion.Status.APPROVED
    assert not pending.service.locations.exists()


def test_change_report_page_shows_the_report_beside_the_listing_now(officer_client):
    service = ServiceFactory(name="Wickford Food Bank", phone="01268 000000")
    Schedule.objects.create(service=service, weekday=1, opens_at="10:00", closes_at="12:00")
    report = SuggestionFactory(
        kind=Suggestion.Kind.CHANGE, service=service, details="Now on Wednesdays", phone="01268 1"
    )

    response = officer_client.get(reverse("admin:directory_suggestion_change", args=[report.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "The listing now" in html
    assert "Now on Wednesdays" in html
    assert "01268 000000" in html  # the listing's phone, beside the reported one
    assert str(service.schedules.get()) in html
    assert 'name="organisation_name"' not in html  # new-listing fields are not asked for


def test_approving_a_change_report_says_what_to_edit_by_hand(officer_client):
    service = ServiceFactory(name="Wickford Food Bank", phone="01268 000000")
    report = SuggestionFactory(
        kind=Suggestion.Kind.CHANGE, service=service, details="Now on Wednesdays", phone="01268 1"
    )
    url = reverse("admin:directory_suggestion_changelist")

    response = officer_client.post(
        url, {"action": "approve", "_selected_action": [report.pk]}, follow=True
    )

    html = response.content.decode()
    assert "1 suggestion approved." in html
    assert f"{report.reference}: copied the service phone given" in html
    assert "Now on Wednesdays" in html
    assert reverse("admin:directory_service_change", args=[service.pk]) in html
    service.refresh_from_db()
    assert service.phone == "01268 1"


def test_approve_action_explains_a_missing_organisation(officer_client):
    pending = SuggestionFactory(organisation_name="Unknown group")
    url = reverse("admin:directory_suggestion_changelist")

    response = officer_client.post(
        url, {"action": "approve", "_selected_action": [pending.pk]}, follow=True
    )

    assert "choose the organisation" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Suggestion.Status.PENDING


def test_reject_action(officer_client):
    pending = SuggestionFactory()
    url = reverse("admin:directory_suggestion_changelist")

    officer_client.post(url, {"action": "reject", "_selected_action": [pending.pk]})

    pending.refresh_from_db()
    assert pending.status == Suggestion.Status.REJECTED


def test_schedule_weekday_codes_match_oruk():
    assert Schedule.BYDAY[Schedule.Weekday.TUESDAY] == "TU"
