"""Bulk CSV import of engagements: validated per row, all or nothing, errors by row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hubs.models import Engagement, Referral
from tests.factories import ActivityFactory, OrganisationFactory
from tests.hubs import referrals_out_of_step

pytestmark = pytest.mark.django_db

HEADER = "date,hub,activity,people,new_people,age_65_plus,partner_present,referrals,notes\n"


def upload(client, text, name="sessions.csv", encoding="utf-8"):
    file = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    return client.post(reverse("hubs_staff:import"), {"file": file}, follow=True)


@pytest.fixture
def setup(client, coordinator_a, hub_a):
    ActivityFactory(hub=hub_a, name="Coffee morning")
    OrganisationFactory(name="Citizens Advice Basildon", slug="citizens-advice-basildon")
    OrganisationFactory(name="BBW CVS", slug="bbw-cvs")
    client.force_login(coordinator_a)
    return client


def test_valid_file_imports_every_row_with_referrals(setup, hub_a):
    text = HEADER + (
        "2026-01-05,hub-a,Coffee morning,20,4,6,bbw-cvs,citizens-advice-basildon:2; bbw-cvs,\n"
        "12/01/2026,hub-a,,8,,,,,drop-in\n"
    )

    response = upload(setup, text)

    assert response.redirect_chain == [(reverse("hubs_staff:home"), 302)]
    assert "Imported 2 sessions" in response.content.decode()
    first, second = Engagement.objects.order_by("date")
    assert (first.people, first.new_people, first.age_65_plus) == (20, 4, 6)
    assert first.activity.name == "Coffee morning"
    assert first.partner_present.slug == "bbw-cvs"
    assert sorted(Referral.objects.values_list("organisation__slug", "count")) == [
        ("bbw-cvs", 1),
        ("citizens-advice-basildon", 2),
    ]
    assert not referrals_out_of_step().exists()
    assert second.activity is None
    assert str(second.date) == "2026-01-12"


def test_one_bad_row_imports_nothing_and_each_problem_is_reported_by_row(setup, hub_a, hub_b):
    text = HEADER + (
        "2026-01-05,hub-a,Coffee morning,20,4,,,,\n"  # row 2: fine
        "2999-01-05,hub-a,,5,,,,,\n"  # row 3: future
        "2026-01-05,hub-a,,5,9,,,,\n"  # row 4: new > total
        "2026-01-05,hub-b,,5,,,,,\n"  # row 5: another coordinator's hub
        "2026-01-05,hub-a,Knitting,5,,,,,\n"  # row 6: unknown activity
        "2026-01-05,hub-a,,-1,,,,,\n"  # row 7: negative
        "2026-01-05,hub-a,,5,,,nobody,,\n"  # row 8: unknown partner
    )

    response = upload(setup, text)

    assert response.status_code == 200
    assert not Engagement.objects.exists()
    errors = dict(response.context["form"].row_errors)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8]
    assert "date: The date must be today or in the past" in errors[3]
    assert "new_people: The number of new people cannot be more than the total" in errors[4]
    assert errors[5] == ["hub: 'hub-b' is not one of your hubs"]
    assert errors[6] == ["activity: 'Knitting' is not an activity at Hub A"]
    assert "people: Enter a number that is 0 or more" in errors[7]
    assert errors[8] == ["partner_present: no organisation with the short name 'nobody'"]
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "6 of 7 rows have problems. Nothing was imported" in html


@pytest.mark.parametrize(
    "content,encoding,message",
    [
        ("", "utf-8", "The file is empty"),
        ("date,hub\n2026-01-01,hub-a\n", "utf-8", "missing columns: people"),
        ("date,hub,people,name\n", "utf-8", "unknown columns: name"),
        (HEADER, "utf-8", "no sessions"),
        ("date,hub,people\n2026-01-01,hüb,4\n", "latin-1", "saved as UTF-8"),
    ],
    ids=["empty", "missing-column", "unknown-column", "header-only", "not-utf8"],
)
def test_unusable_files_get_a_clear_message(setup, content, encoding, message):
    response = upload(setup, content, encoding=encoding)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Engagement.objects.exists()


def test_too_many_rows_is_refused(setup, settings, monkeypatch):
    monkeypatch.setattr("hubs.forms.MAX_IMPORT_ROWS", 2)

    response = upload(setup, "date,hub,people\n" + "2026-01-05,hub-a,3\n" * 3)

    assert "2 rows or fewer" in response.content.decode()
    assert not Engagement.objects.exists()


def test_import_is_query_bounded_per_row_not_per_lookup(setup, django_assert_max_num_queries):
    text = "date,hub,people\n" + "2026-01-05,hub-a,3\n" * 20

    with django_assert_max_num_queries(20 * 8):
        upload(setup, text)

    assert Engagement.objects.count() == 20
