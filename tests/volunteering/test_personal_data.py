"""Retention, subject access and erasure, on data either side of the retention boundary."""

import datetime
import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from directory.models import Suggestion
from directory.services import forget_suggestion_senders
from tests.factories import InterestFactory, SuggestionFactory, VolunteerHoursFactory
from volunteering import services
from volunteering.models import ErasureRecord, Interest, InterestEvent, VolunteerHours

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 12, 0))
CUTOFF = timezone.make_aware(datetime.datetime(2025, 6, 15, 12, 0))  # 12 months before


@pytest.fixture
def straddling(settings):
    """Interests a minute either side of the 12-month boundary, with and without hours."""
    settings.VOLUNTEERING_RETENTION_MONTHS = 12
    minute = datetime.timedelta(minutes=1)
    expired = InterestFactory(name="Old Nohours", last_activity_at=CUTOFF - minute)
    InterestEvent.objects.create(interest=expired, to_status="new", at=CUTOFF - minute)
    expired_with_hours = InterestFactory(
        name="Old Withhours", status="placed", last_activity_at=CUTOFF - minute, phone="07700900111"
    )
    hours = VolunteerHoursFactory(interest=expired_with_hours, confirmed_hours=2)
    kept = InterestFactory(name="Recent Person", last_activity_at=CUTOFF + minute)
    return {"expired": expired, "with_hours": expired_with_hours, "hours": hours, "kept": kept}


def run(*args, **kwargs):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


def test_purge_deletes_or_anonymises_only_records_past_the_retention_period(straddling):
    outcome, cutoff = services.purge_expired_personal_data(now=NOW)

    assert cutoff == CUTOFF
    assert (outcome.interests_deleted, outcome.interests_anonymised) == (1, 1)
    assert outcome.events_deleted == 1
    assert not Interest.objects.filter(pk=straddling["expired"].pk).exists()
    anonymised = Interest.objects.get(pk=straddling["with_hours"].pk)
    assert (anonymised.name, anonymised.email, anonymised.phone, anonymised.message) == (
        services.ANONYMISED_NAME,
        "",
        "",
        "",
    )
    assert anonymised.anonymised_at == NOW
    # The hours still count in totals, attached to no one.
    assert VolunteerHours.objects.get(pk=straddling["hours"].pk).confirmed_hours == 2
    assert Interest.objects.get(pk=straddling["kept"].pk).name == "Recent Person"


def test_purge_twice_does_nothing_more(straddling):
    services.purge_expired_personal_data(now=NOW)
    outcome, _ = services.purge_expired_personal_data(now=NOW)

    assert (outcome.interests_deleted, outcome.interests_anonymised) == (0, 0)


def test_purge_command_dry_run_says_what_it_would_do_and_changes_nothing(straddling, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)

    output = run("purge_expired_personal_data", "--dry-run")

    assert "Would delete 1 interests" in output
    assert "would anonymise 1 interests" in output
    assert "Dry run: nothing was changed." in output
    assert Interest.objects.personal().count() == 3


def test_purge_command_says_what_it_did(straddling, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)

    output = run("purge_expired_personal_data")

    assert "Deleted 1 interests (and 1 pipeline changes) and anonymised 1 interests" in output
    assert Interest.objects.personal().count() == 1


@pytest.fixture
def senders(settings):
    """Suggestions decided a minute either side of the 12-month boundary, and a pending one."""
    settings.SUGGESTION_RETENTION_MONTHS = 12
    minute = datetime.timedelta(minutes=1)
    sent = {"submitter_name": "Jo Bloggs", "submitter_email": "jo@example.com"}
    approved = Suggestion.Status.APPROVED
    return {
        "expired": SuggestionFactory(**sent, status=approved, decided_at=CUTOFF - minute),
        "kept": SuggestionFactory(**sent, status=approved, decided_at=CUTOFF + minute),
        "pending": SuggestionFactory(**sent),  # never decided: kept until it is
    }


def test_senders_of_suggestions_decided_before_the_cutoff_are_forgotten(senders):
    cleared, cutoff = forget_suggestion_senders(now=NOW)

    assert (cleared, cutoff) == (1, CUTOFF)
    expired = Suggestion.objects.get(pk=senders["expired"].pk)
    assert (expired.submitter_name, expired.submitter_email) == ("", "")
    assert expired.name == senders["expired"].name  # the suggestion itself stays
    for kept in ("kept", "pending"):
        assert Suggestion.objects.get(pk=senders[kept].pk).submitter_email == "jo@example.com"
    assert forget_suggestion_senders(now=NOW)[0] == 0  # nothing more the second time


def test_purge_command_also_forgets_suggestion_senders(senders, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)

    dry = run("purge_expired_personal_data", "--dry-run")
    assert "Would clear the sender's name and email on 1 suggestions" in dry
    assert Suggestion.objects.filter(submitter_email="jo@example.com").count() == 3

    output = run("purge_expired_personal_data")
    assert "Cleared the sender's name and email on 1 suggestions decided before 15 June 2025" in (
        output
    )
    assert Suggestion.objects.filter(submitter_email="jo@example.com").count() == 2


def test_interests_keep_no_history_copies_of_personal_data():
    """django-simple-history is not used on interests, so there is nothing else to purge."""
    history_models = {m.__name__ for m in apps.get_app_config("volunteering").get_models()}

    assert "HistoricalInterest" not in history_models
    assert "HistoricalRole" in history_models  # roles hold no personal data


def test_export_command_gives_everything_about_one_person_and_no_one_else(straddling):
    person = straddling["with_hours"]
    InterestFactory(email=person.email.upper(), name="Same Person Again")
    InterestFactory(name="Someone Else", email="else@example.com")

    data = json.loads(run("export_personal_data", "--email", person.email))

    names = sorted(r["name"] for r in data["records"])
    assert names == ["Old Withhours", "Same Person Again"]
    record = next(r for r in data["records"] if r["name"] == "Old Withhours")
    assert record["phone"] == "07700900111"
    assert record["hours"][0]["hours_confirmed"] == "2.00"
    assert "Someone Else" not in json.dumps(data)


def test_subject_access_and_erasure_cover_directory_suggestions_sent_by_email():
    person = InterestFactory(name="Jo Bloggs", email="jo@example.com")
    theirs = SuggestionFactory(
        name="Craft club", submitter_name="Jo Bloggs", submitter_email="JO@example.com"
    )
    other = SuggestionFactory(submitter_name="Sam Else", submitter_email="sam@example.com")

    data = json.loads(run("export_personal_data", "--email", person.email))
    assert [(s["reference"], s["listing"], s["name"]) for s in data["suggestions"]] == [
        (theirs.reference, "Craft club", "Jo Bloggs")
    ]
    assert "sam@example.com" not in json.dumps(data)

    output = run("erase_personal_data", "--email", person.email)
    assert "cleared the sender on 1 directory suggestions" in output
    assert ErasureRecord.objects.get().suggestion_senders_cleared == 1
    theirs.refresh_from_db()
    assert (theirs.submitter_name, theirs.submitter_email, theirs.name) == ("", "", "Craft club")
    other.refresh_from_db()
    assert other.submitter_email == "sam@example.com"


def test_export_and_erase_need_an_email_or_phone():
    with pytest.raises(CommandError, match="email address or phone"):
        run("export_personal_data")
    with pytest.raises(CommandError, match="email address or phone"):
        run("erase_personal_data")
    assert ErasureRecord.objects.count() == 0


def test_erase_command_by_phone_erases_the_person_and_records_it_without_personal_data(
    straddling,
):
    person = straddling["with_hours"]
    other_record = InterestFactory(email="", phone="07700900111", name="Old Withhours")

    output = run("erase_personal_data", "--phone", "+44 7700 900111", "--by", "Officer request")

    record = ErasureRecord.objects.get()
    assert record.reference in output
    assert (record.interests_deleted, record.interests_anonymised) == (1, 1)
    assert record.hours_kept_anonymously == 1
    assert not Interest.objects.filter(pk=other_record.pk).exists()
    assert Interest.objects.get(pk=person.pk).is_anonymised
    stored = " ".join(str(v) for v in ErasureRecord.objects.values().get().values())
    assert "07700" not in stored and "Withhours" not in stored and "@" not in stored
    # Others are untouched.
    assert Interest.objects.get(pk=straddling["kept"].pk).name == "Recent Person"


@pytest.fixture
def contacts():
    """Jo at an organisation (their email changed once), Jo's earlier record there, since
    deleted, and someone else; the organisation's admin log naming both people."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    from partners.models import Contact, Organisation
    from tests.factories import OrganisationFactory, UserFactory

    organisation = OrganisationFactory(name="Pitsea Pantry")
    jo = Contact.objects.create(
        organisation=organisation, name="Jo Bloggs", email="old@example.com", phone="01268 123456"
    )
    jo.email = "jo@example.com"
    jo.save()
    earlier = Contact.objects.create(
        organisation=organisation, name="Jo Bloggs", phone="01268123456"
    )
    earlier.delete()
    sam = Contact.objects.create(
        organisation=organisation, name="Sam Else", email="sam@example.com"
    )
    # What the organisation admin's contacts inline writes (django.contrib.admin.utils).
    log = LogEntry.objects.create(
        user=UserFactory(),
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=str(organisation.pk),
        object_repr=str(organisation),
        action_flag=CHANGE,
        change_message=json.dumps(
            [
                {"changed": {"fields": ["Website"]}},
                {"added": {"name": "contact", "object": "Jo Bloggs (Pitsea Pantry)"}},
                {
                    "changed": {
                        "name": "contact",
                        "object": "Sam Else (Pitsea Pantry)",
                        "fields": ["Phone"],
                    }
                },
            ]
        ),
    )
    return {"jo": jo, "earlier": earlier, "sam": sam, "log": log}


def test_subject_access_lists_the_persons_organisation_contact_records(contacts):
    data = json.loads(run("export_personal_data", "--phone", "+44 1268 123456"))

    assert data["organisation_contacts"] == [
        {
            "organisation": "Pitsea Pantry",
            "name": "Jo Bloggs",
            "role": "",
            "email": "jo@example.com",
            "phone": "01268 123456",
            "main_contact": False,
            "versions_in_change_history": 2,
        }
    ]
    assert "Sam Else" not in json.dumps(data)


def test_erasure_deletes_the_persons_contact_records_with_their_history_and_log_names(contacts):
    from partners.models import Contact

    output = run("erase_personal_data", "--email", "JO@example.com", "--phone", "01268 123 456")

    assert "deleted 2 organisation contact records" in output
    assert ErasureRecord.objects.get().contacts_erased == 2
    assert list(Contact.objects.all()) == [contacts["sam"]]
    history = json.dumps(list(Contact.history.values()), default=str)
    assert "Jo Bloggs" not in history and "example.com" in history  # Sam's copies stay
    for held in ("jo@example.com", "old@example.com", "123456"):
        assert held not in history
    log = contacts["log"]
    log.refresh_from_db()
    assert "Jo Bloggs" not in log.change_message
    assert "Sam Else (Pitsea Pantry)" in log.change_message
    assert "Added contact “a contact (erased)”" in log.get_change_message()


def test_erasing_someone_else_leaves_contacts_alone(contacts):
    from partners.models import Contact

    run("erase_personal_data", "--email", "nobody@example.com", "--phone", "07700 900999")

    assert ErasureRecord.objects.get().contacts_erased == 0
    assert Contact.objects.count() == 2
    contacts["log"].refresh_from_db()
    assert "Jo Bloggs (Pitsea Pantry)" in contacts["log"].change_message


@pytest.fixture
def dormant(settings):
    """Contacts either side of the 24-month contact retention boundary: at an organisation
    inactive since a minute before it, at one inactive since a minute after, at an active
    one; and a change-history copy a minute either side of it."""
    from partners.models import Contact, Organisation
    from tests.factories import OrganisationFactory

    settings.CONTACT_RETENTION_MONTHS = 24
    cutoff = timezone.make_aware(datetime.datetime(2024, 6, 15, 12, 0))
    minute = datetime.timedelta(minutes=1)
    people = {}
    for key, active, modified in (
        ("gone", False, cutoff - minute),
        ("recent", False, cutoff + minute),
        ("active", True, cutoff - minute),
    ):
        organisation = OrganisationFactory(is_active=active)
        people[key] = Contact.objects.create(organisation=organisation, name=f"{key} person")
        Organisation.objects.filter(pk=organisation.pk).update(modified=modified)
    people["active"].email = "new@example.com"
    people["active"].save()
    old, new = Contact.history.filter(id=people["active"].pk).order_by("history_date")
    Contact.history.filter(pk=old.pk).update(history_date=cutoff - minute)
    Contact.history.filter(pk=new.pk).update(history_date=cutoff + minute)
    return people


def test_contacts_of_long_inactive_organisations_and_old_history_copies_expire(dormant):
    from partners.models import Contact
    from partners.services import purge_expired_contacts

    erased, copies, cutoff = purge_expired_contacts(now=NOW)

    assert cutoff == timezone.make_aware(datetime.datetime(2024, 6, 15, 12, 0))
    assert set(Contact.objects.values_list("name", flat=True)) == {"recent person", "active person"}
    assert not Contact.history.filter(name="gone person").exists()
    # The active contact keeps its record and its recent copy; the older copy went.
    assert list(
        Contact.history.filter(id=dormant["active"].pk).values_list("email", flat=True)
    ) == ["new@example.com"]
    assert (erased, copies) == (1, 1)
    assert purge_expired_contacts(now=NOW)[:2] == (0, 0)  # nothing more the second time


def test_purge_command_reports_contacts_and_a_dry_run_keeps_them(dormant, monkeypatch):
    from partners.models import Contact

    monkeypatch.setattr(timezone, "now", lambda: NOW)

    dry = run("purge_expired_personal_data", "--dry-run")
    assert "Would delete 1 contacts of organisations inactive since before 15 June 2024" in dry
    assert "and 1 copies of contact records in the change history" in dry
    assert Contact.objects.count() == 3 and Contact.history.count() == 4

    output = run("purge_expired_personal_data")
    assert "Deleted 1 contacts of organisations inactive since before 15 June 2024" in output
    assert Contact.objects.count() == 2
