"""The staff admin: the pipeline, hours, personal data requests, and who sees what."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from core.dates import is_working_day
from tests.factories import (
    InterestFactory,
    RoleFactory,
    UserFactory,
    VolunteerHoursFactory,
)
from volunteering.models import ErasureRecord, Interest, InterestEvent, VolunteerHours

pytestmark = pytest.mark.django_db

INTERESTS = reverse("admin:volunteering_interest_changelist")
HOURS = reverse("admin:volunteering_volunteerhours_changelist")


@pytest.fixture
def records(partner_organisation):
    own_role = RoleFactory(title="Own role", organisation=partner_organisation)
    other_role = RoleFactory(title="Other role")
    own = InterestFactory(role=own_role, name="Own Applicant", status="placed")
    other = InterestFactory(role=other_role, name="Other Applicant", status="placed")
    general = InterestFactory(role=None, name="General Helper")
    return {
        "own_role": own_role,
        "other_role": other_role,
        "own": own,
        "other": other,
        "general": general,
        "own_hours": VolunteerHoursFactory(interest=own),
        "other_hours": VolunteerHoursFactory(interest=other),
    }


def change_url(obj):
    return reverse(f"admin:volunteering_{obj._meta.model_name}_change", args=[obj.pk])


def test_officers_see_every_interest_including_general_offers(officer_client, records):
    html = officer_client.get(INTERESTS).content.decode()

    for name in ("Own Applicant", "Other Applicant", "General Helper"):
        assert name in html


def test_partner_contacts_see_only_their_own_roles_interests(client, partner_contact, records):
    client.force_login(partner_contact)

    html = client.get(INTERESTS).content.decode()

    assert "Own Applicant" in html
    assert "Other Applicant" not in html and "General Helper" not in html
    hours = client.get(HOURS).content.decode()
    assert "Own Applicant" in hours and "Other Applicant" not in hours


def test_another_organisations_records_are_a_404_for_partner_contacts(
    client, partner_contact, records
):
    client.force_login(partner_contact)

    for key in ("other", "general", "other_role", "other_hours"):
        assert client.get(change_url(records[key])).status_code == 404, key
    for key in ("own", "own_role", "own_hours"):
        assert client.get(change_url(records[key])).status_code == 200, key
    assert (
        client.get(
            reverse("admin:volunteering_role_history", args=[records["other_role"].pk])
        ).status_code
        == 404
    )


def test_a_person_never_appears_to_another_organisations_login(
    client, other_partner_contact, records
):
    client.force_login(other_partner_contact)

    pages = [INTERESTS, HOURS, reverse("admin:volunteering_role_changelist")]
    pages += [change_url(records[k]) for k in ("own", "other", "own_hours")]
    pages += [reverse("volunteering_staff:hours_report")]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Own Applicant" not in html and "Other Applicant" not in html, url
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "volunteering",
            "model_name": "volunteerhours",
            "field_name": "interest",
            "term": "Applicant",
        },
    )
    assert autocomplete.json()["results"] == []


def test_partner_contacts_cannot_move_another_organisations_interest_by_action(
    client, partner_contact, records
):
    client.force_login(partner_contact)

    client.post(
        INTERESTS,
        {"action": "mark_not_progressed", ACTION_CHECKBOX_NAME: [records["other"].pk]},
    )

    records["other"].refresh_from_db()
    assert records["other"].status == "placed"


def test_partner_contacts_cannot_export_or_erase(client, partner_contact, records):
    client.force_login(partner_contact)

    response = client.get(INTERESTS)
    actions = dict(response.context["action_form"].fields["action"].choices)

    assert "mark_contacted" in actions
    assert "export_person" not in actions and "erase_person" not in actions


def test_officer_moves_interests_through_the_pipeline_with_an_action(officer_client, officer):
    interest = InterestFactory()

    response = officer_client.post(
        INTERESTS, {"action": "mark_contacted", ACTION_CHECKBOX_NAME: [interest.pk]}, follow=True
    )

    interest.refresh_from_db()
    assert interest.status == "contacted"
    assert "Moved 1 to contacted." in response.content.decode()
    event = InterestEvent.objects.get(interest=interest)
    assert (event.from_status, event.to_status, event.by) == ("new", "contacted", officer)


def test_changing_the_status_on_the_form_records_the_change(officer_client, officer):
    interest = InterestFactory(name="Jo Bloggs", email="jo@example.com")

    response = officer_client.post(
        change_url(interest),
        {
            "status": "placed",
            "name": "Jo Bloggs",
            "email": "jo@example.com",
            "phone": "",
            "message": "",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
            "hours-TOTAL_FORMS": "0",
            "hours-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    interest.refresh_from_db()
    assert interest.status == "placed"
    assert InterestEvent.objects.filter(
        interest=interest, from_status="new", to_status="placed", by=officer
    ).exists()


def working_days_ago(count):
    """Midday on the working day `count` working days before today."""
    day, seen = timezone.localdate(), 0
    while seen < count:
        day -= datetime.timedelta(days=1)
        seen += is_working_day(day)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def test_interests_waiting_too_long_are_flagged_and_filterable(officer_client, settings):
    settings.VOLUNTEERING_STAGE_TARGETS = {"new": 5, "contacted": 10}
    InterestFactory(name="Fresh Applicant", status_changed_at=timezone.now())
    # Working days, whatever day the test runs (9 calendar days is 5 on a Sunday: not amber).
    InterestFactory(name="Amber Applicant", status_changed_at=working_days_ago(7))
    InterestFactory(name="Red Applicant", status_changed_at=working_days_ago(30))

    everything = officer_client.get(INTERESTS).content.decode()
    amber = officer_client.get(INTERESTS, {"waiting": "amber"}).content.decode()
    red = officer_client.get(INTERESTS, {"waiting": "red"}).content.decode()

    assert "rag--amber" in everything and "rag--red" in everything
    assert "Amber Applicant" in amber and "Red Applicant" not in amber
    assert "Red Applicant" in red and "Amber Applicant" not in red
    assert "Fresh Applicant" not in amber + red


def test_interest_changelist_query_count_does_not_grow(
    officer_client, django_assert_max_num_queries
):
    for _ in range(3):
        InterestFactory()
    # 18 since the user's scope is read once a request (22 when each officer check queried)
    with django_assert_max_num_queries(18) as few:
        officer_client.get(INTERESTS)
    for _ in range(20):
        InterestFactory()

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = officer_client.get(INTERESTS)

    assert response.status_code == 200


def test_hours_changelist_query_count_does_not_grow(officer_client, django_assert_max_num_queries):
    VolunteerHoursFactory()
    # 15 since the user's scope is read once a request (16 when each officer check queried)
    with django_assert_max_num_queries(15) as few:
        officer_client.get(HOURS)
    for _ in range(20):
        VolunteerHoursFactory()

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = officer_client.get(HOURS)

    assert response.status_code == 200


def hours_form(interest, **overrides):
    return {
        "interest": interest.pk,
        "date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "hours": "3",
        "confirmed_hours": "",
        **overrides,
    }


def test_hours_can_be_logged_only_for_placed_volunteers(officer_client):
    waiting = InterestFactory(status="contacted")

    response = officer_client.post(
        reverse("admin:volunteering_volunteerhours_add"), hours_form(waiting)
    )

    assert response.status_code == 200
    assert "is not placed in a role" in response.content.decode()
    assert VolunteerHours.objects.count() == 0


def test_logged_hours_wait_for_the_organisation_to_confirm_them(client, partner_contact, records):
    client.force_login(partner_contact)
    VolunteerHours.objects.all().delete()

    client.post(reverse("admin:volunteering_volunteerhours_add"), hours_form(records["own"]))
    entry = VolunteerHours.objects.get()
    assert (entry.hours, entry.confirmed_hours, entry.logged_by) == (
        Decimal("3"),
        None,
        partner_contact,
    )

    client.post(HOURS, {"action": "confirm_as_logged", ACTION_CHECKBOX_NAME: [entry.pk]})

    entry.refresh_from_db()
    assert entry.confirmed_hours == Decimal("3")
    assert entry.confirmed_by == partner_contact


def test_partner_contacts_cannot_log_hours_for_another_organisations_volunteer(
    client, partner_contact, records
):
    client.force_login(partner_contact)

    response = client.post(
        reverse("admin:volunteering_volunteerhours_add"), hours_form(records["other"])
    )

    assert response.status_code == 200  # the choice is not offered: a form error
    assert VolunteerHours.objects.filter(interest=records["other"]).count() == 1


def test_officer_exports_one_persons_data_as_json(officer_client, records):
    InterestFactory(role=records["other_role"], email=records["own"].email, name="Same Person")

    response = officer_client.post(
        INTERESTS, {"action": "export_person", ACTION_CHECKBOX_NAME: [records["own"].pk]}
    )

    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert sorted(r["name"] for r in data["records"]) == ["Own Applicant", "Same Person"]


def test_officer_erases_one_persons_data_after_confirming(officer_client, officer, records):
    person = records["general"]
    confirm = officer_client.post(
        INTERESTS, {"action": "erase_person", ACTION_CHECKBOX_NAME: [person.pk]}
    )
    assert "Erase this person" in confirm.content.decode()
    assert Interest.objects.filter(pk=person.pk).exists()

    done = officer_client.post(
        INTERESTS,
        {"action": "erase_person", ACTION_CHECKBOX_NAME: [person.pk], "confirm": "yes"},
        follow=True,
    )

    record = ErasureRecord.objects.get()
    assert record.by == officer
    assert record.interests_deleted == 1
    assert record.reference in done.content.decode()
    assert not Interest.objects.filter(pk=person.pk).exists()
    assert ErasureRecord.objects.filter(pk=record.pk).exists()


def test_the_erasure_confirmation_names_the_persons_contact_records_that_go_too(
    officer_client, records
):
    from partners.models import Contact

    person = records["general"]
    contact = Contact.objects.create(
        organisation=records["own_role"].organisation,
        name="Helper At Work",
        role="Treasurer",
        email=person.email.upper(),
    )
    kept = Contact.objects.create(organisation=contact.organisation, name="Someone Else")
    post = {"action": "erase_person", ACTION_CHECKBOX_NAME: [person.pk]}

    confirm = officer_client.post(INTERESTS, post).content.decode()
    assert "Organisation contact records that will be deleted" in confirm
    assert f"Helper At Work, Treasurer, at {contact.organisation.name}" in confirm
    assert "Someone Else" not in confirm

    done = officer_client.post(INTERESTS, {**post, "confirm": "yes"}, follow=True)
    assert "1 organisation contact records deleted" in done.content.decode()
    assert list(Contact.objects.all()) == [kept]
    assert not Contact.history.filter(id=contact.pk).exists()


def test_erasure_records_are_read_only_and_for_officers(officer_client, client, partner_contact):
    ErasureRecord.objects.create(interests_deleted=1)
    url = reverse("admin:volunteering_erasurerecord_changelist")

    assert officer_client.get(url).status_code == 200
    assert officer_client.get(reverse("admin:volunteering_erasurerecord_add")).status_code == 403
    client.force_login(partner_contact)
    assert client.get(url).status_code == 403


# --- Walk every volunteering staff URL per role ---------------------------------------------


@pytest.fixture
def urls(records):
    result = {"list": [], "own": [], "other": []}
    for model in admin.site._registry:
        if model._meta.app_label == "volunteering":
            result["list"].append(
                reverse(f"admin:volunteering_{model._meta.model_name}_changelist")
            )
    result["list"].append(reverse("volunteering_staff:hours_report"))
    result["list"].append(reverse("volunteering_staff:hours_export", args=["monthly"]))
    for key in ("own", "own_role", "own_hours"):
        result["own"].append(change_url(records[key]))
    for key in ("other", "other_role", "other_hours", "general"):
        result["other"].append(change_url(records[key]))
    return result


def statuses(client, urls):
    return {url: client.get(url).status_code for url in urls}


def test_anonymous_users_are_sent_to_sign_in_everywhere(client, urls):
    for group in urls.values():
        assert set(statuses(client, group).values()) == {302}


def test_officers_open_every_volunteering_staff_page(officer_client, urls):
    for group in urls.values():
        assert set(statuses(officer_client, group).values()) == {200}


def test_coordinators_get_nothing(client, urls):
    client.force_login(UserFactory(groups=["Hub coordinator"]))

    for group in urls.values():
        assert set(statuses(client, group).values()) <= {403, 404}


def test_partner_contacts_get_their_own_and_a_404_for_others(client, partner_contact, urls):
    client.force_login(partner_contact)

    lists = statuses(client, urls["list"])
    erasures = reverse("admin:volunteering_erasurerecord_changelist")
    assert lists.pop(erasures) == 403
    assert set(lists.values()) == {200}
    assert set(statuses(client, urls["own"]).values()) == {200}
    assert set(statuses(client, urls["other"]).values()) == {404}


def test_an_anonymised_interest_cannot_be_edited_back_into_personal_data(officer_client):
    interest = InterestFactory(name="Anonymised volunteer", email="", anonymised_at=timezone.now())

    response = officer_client.get(change_url(interest))

    assert response.status_code == 200
    assert 'name="name"' not in response.content.decode()
