"""The query check (core.querycheck): a 400 before any view for NUL characters, numbers past
a bigint and impossible date parts in the web address; everything people really send passes."""

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from core.querycheck import problem
from tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db

BIGINT_MAX = 2**63 - 1

LEGITIMATE = [
    "",
    "page=2",
    "page=99999999999",
    f"id={BIGINT_MAX}",
    f"id={-(2**63)}",
    "delta=-5",
    "q=food+bank",
    "q=100%25+free",  # a percent sign that is not %00
    "q=%C2%A3%E2%82%AC",
    "postcode=SS14+1CK",
    "e=1",
    "o=-1.2",
    "p=3",
    "_changelist_filters=status__exact%3Dactive%26p%3D2",
    "date__year=2026&date__month=2&date__day=29",
    "created__year=1",
    "created__year=9998",
    "start_date__year__gte=2020",
    "date__month=12&date__day=31",
    "at__hour=0&at__minute=59&at__second=59",
    "date__week=53&date__week_day=7&date__quarter=4",
    "start_day=5&start_month=11&start_year=2026",  # the staff reports' date boxes
    "per_page=100&modified_after=2026-01-01T00:00:00Z&proximity=1000",  # ORUK
    "taxonomy_term_id=6f1a0c9e-3b7d-4c2e-9a51-0d8e4f2b7c13",
    "status__in=active,closed",
    "created__year__in=1,99999",  # a list, compared value by value: no date is made
    "phone=01268533333",
    "next=/admin/%3Fq%3Dx",
    "page=0%1F",  # not a number to int() (the view says so), though str.strip() drops \x1f
    "page=%1F8",
]
REFUSED = [
    ("q=%00", "‘q’ contains a character that is not allowed."),
    ("q=food%00bank", "‘q’ contains a character that is not allowed."),
    ("q=%2500", "‘q’ contains a character that is not allowed."),  # %00 once decoded
    ("se%00arch=food", "The web address contains a character that is not allowed."),
    ("status__exact=%00", "‘status__exact’ contains a character that is not allowed."),
    ("_changelist_filters=status__exact%3D%2500", "‘_changelist_filters’ contains"),
    ("page=9223372036854775808", "‘page’ is a number too large to use."),
    ("id=-9223372036854775809", "‘id’ is a number too large to use."),
    ("id=%2B9223372036854775808", "‘id’ is a number too large to use."),
    ("id=00009223372036854775808", "‘id’ is a number too large to use."),
    ("id=9_223_372_036_854_775_808", "‘id’ is a number too large to use."),
    ("page=" + "9" * 5000, "‘page’ is a number too large to use."),
    ("created__year=99999", "‘created__year’ must be from 1 to 9998."),
    ("start_date__year=99999999999", "‘start_date__year’ must be from 1 to 9998."),
    ("created__year=9999", "‘created__year’ must be from 1 to 9998."),
    ("created__year=0", "‘created__year’ must be from 1 to 9998."),
    ("created__year=-1", "‘created__year’ must be from 1 to 9998."),
    ("created__year=+99999", "‘created__year’ must be from 1 to 9998."),
    ("created__year=99_999", "‘created__year’ must be from 1 to 9998."),
    ("created__year__gt=10000", "‘created__year__gt’ must be from 1 to 9998."),
    ("created__iso_year=99999", "‘created__iso_year’ must be from 1 to 9998."),
    ("date__month=13", "‘date__month’ must be from 1 to 12."),
    ("date__day=32", "‘date__day’ must be from 1 to 31."),
    ("date__week=54", "‘date__week’ must be from 1 to 53."),
    ("date__week_day=8", "‘date__week_day’ must be from 1 to 7."),
    ("date__iso_week_day=0", "‘date__iso_week_day’ must be from 1 to 7."),
    ("date__quarter=5", "‘date__quarter’ must be from 1 to 4."),
    ("at__hour=24", "‘at__hour’ must be from 0 to 23."),
    ("at__minute=60", "‘at__minute’ must be from 0 to 59."),
    ("at__second=60", "‘at__second’ must be from 0 to 59."),
]


@pytest.mark.parametrize("query", LEGITIMATE)
def test_what_people_really_send_passes(query):
    assert problem("/directory/", QueryDict(query)) is None


@pytest.mark.parametrize("query,message", REFUSED, ids=[q[:40] for q, _ in REFUSED])
def test_values_no_database_could_use_are_refused(query, message):
    assert problem("/admin/directory/service/", QueryDict(query)).startswith(message)


@pytest.mark.parametrize("path", ["/directory/\x00/", "/admin/partners/agreement/1/%00/change/"])
def test_a_nul_in_the_path_is_refused(path):
    assert problem(path, QueryDict("")) == (
        "The web address contains a character that is not allowed."
    )


def test_dates_that_are_only_wrong_are_left_to_the_view():
    # Not a number: Django's own checks answer these (the admin with ?e=1).
    for query in ("date__year=abc", "date__gte=2026-13-45", "date__month=1.5", "pk=1.5"):
        assert problem("/admin/", QueryDict(query)) is None


# --- answers -----------------------------------------------------------------------------------


def test_a_refused_page_is_a_govuk_400_page_with_the_security_headers(officer_client):
    response = officer_client.get("/admin/directory/service/?status__exact=%00")

    assert response.status_code == 400
    assert [t.name for t in response.templates][0] == "400.html"
    html = response.content.decode()
    assert "<title>There is a problem with the web address" in html
    assert "‘status__exact’ contains a character that is not allowed." in html
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]  # a staff page


def test_a_refused_api_request_is_an_oruk_json_error(client):
    response = client.get("/api/oruk/services", {"search": "food\x00", "page": "1"})

    assert response.status_code == 400
    assert response.json() == {
        "error": "bad_request",
        "message": "‘search’ contains a character that is not allowed.",
    }
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "no-store" in response["Cache-Control"]


def test_legitimate_public_and_api_requests_still_work(client):
    service = ServiceFactory(name="Food bank")

    assert client.get("/directory/", {"q": "food 100%", "page": "2"}).status_code == 200
    assert client.get("/api/oruk/services", {"page": "1", "per_page": "100"}).status_code == 200
    assert client.get(reverse("directory:service", args=[service.uuid])).status_code == 200


def test_the_admin_date_hierarchy_and_filters_still_work(officer_client):
    url = reverse("admin:hubs_engagement_changelist")

    for query in ("date__year=2026&date__month=2", "date__year=9998&date__month=12&e=1"):
        assert officer_client.get(f"{url}?{query}").status_code == 200


def test_a_nul_in_a_cookie_is_ignored_not_looked_up(client):
    # Django decodes "\000" in a quoted cookie; a session key with NUL was a 500 on PostgreSQL.
    client.cookies["sessionid"] = "\x00abcdefghijklmnop"

    response = client.get("/")

    assert response.status_code == 200
    assert "sessionid" not in response.wsgi_request.COOKIES


def test_a_nul_in_a_header_is_refused(client):
    response = client.get("/", HTTP_USER_AGENT="Mozilla\x00")

    assert response.status_code == 400


def test_djangos_own_400s_use_the_same_page():
    """A 400 a view raises (here the admin refusing a filter on a field it does not list)."""
    from tests.factories import UserFactory

    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="root", is_superuser=True))

    response = client.get(reverse("admin:auth_user_changelist"), {"password__startswith": "x"})

    assert response.status_code == 400
    assert "Sorry, what was sent could not be used" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/directory/?q=food%00",
        "/directory/?postcode=%00",
        "/directory/?area=nowhere%00",
        "/directory/?page=%00",
        "/directory/?page=" + "9" * 100,
        "/directory/?age=" + "9" * 500,
        "/volunteer/?q=food%00bank",
        "/staff/?hub=99999999999999999999&month=%00",
        "/staff/hubs/reports/?end_day=%00&end_month=1&end_year=2026",
        "/staff/hubs/reports/?start_day=1&start_month=1&start_year=" + "9" * 500,
        "/staff/volunteering/hours/?hub=abc%00",
        "/staff/returns/?page=%2500",
        "/admin/partners/kpireturn/add/?kpi=99999999999999999999&period=2025-2",
    ],
)
def test_values_the_views_used_to_check_themselves_are_refused_first(officer_client, url):
    """These reached the views' own form checks before (their tests now send values that
    still do); the views keep their checks, for values that come another way."""
    response = officer_client.get(url)

    assert response.status_code == 400
    assert "There is a problem with the web address" in response.content.decode()
