"""Hand-made admin and staff links with values no database could use: a 400, never a 500.

The outside test found 54 admin URLs that answered 500 on PostgreSQL: a NUL in a filter
(?status__exact=%00), the autocomplete's ?term=%00, a year past 9999 (?created__year=99999,
?start_date__year=99999999999), a NUL in the path. Partner contacts could reach some of them.

Walked from the admin's registry and the URL conf, as an officer and as a partner contact:
every changelist with each of its own filters' parameters (as the changelist reports them,
so a new filter is covered without touching this file), every change, history and delete page,
every autocomplete field, and every /staff/ page. Values the query check refuses must get its
400; values it lets through (within range, only wrong) must get the view's own answer, which
is never a 5xx. Run on PostgreSQL as well as SQLite: most of these only failed there.
"""

from urllib.parse import quote, urlencode

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.test_permission_matrix import staff_urls, world  # noqa: F401 (world: a fixture)

pytestmark = pytest.mark.django_db

NUL = "\x00"
TOO_BIG = "99999999999999999999"  # past a bigint
# Refused by the query check, whatever the parameter.
REFUSED_VALUES = [NUL, "a%00b", TOO_BIG, "-" + TOO_BIG]
# Within range but wrong: the views must cope (the admin's answer is ?e=1).
WRONG_VALUES = ["abc"]
# Date parts past what a date can hold; within range, the edges must work.
REFUSED_DATE_PARTS = {"year": ["99999", "99999999999", "9999", "0"], "month": ["13"], "day": ["32"]}
EDGE_DATE_PARTS = {"year": ["1", "9998"], "month": ["12"], "day": ["31"]}
GENERIC_PARAMS = [  # every changelist: sorting, paging, hand-made lookups
    {"o": "1.-99.abc", "p": "99999"},
    {"id__exact": "abc"},
    {"pk__in": "1,1.5"},
]
STAFF_PARAMS = ["page", "q", "hub", "start_day", "start_month", "start_year", "end_year"]


def changelists():
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        yield model, model_admin, reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def object_urls(model):
    """Change, history and delete pages of the model's first record, and its history versions
    (django-simple-history), plus the same pages with a NUL where the id goes."""
    opts = model._meta
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    urls, refused = [], []
    for view in ("change", "history", "delete"):
        name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
        refused.append(reverse(name, args=["NUL"]).replace("/NUL/", "/%00/"))
        if pk is not None:
            urls.append(reverse(name, args=[quote(str(pk))]))
    name = f"admin:{opts.app_label}_{opts.model_name}_simple_history"
    try:
        reverse(name, args=[1, 1])
    except NoReverseMatch:
        return urls, refused  # no history versions in this admin
    if pk is None:
        return urls, refused
    # A NUL or impossible version id is refused or a 404 whether or not the record has
    # versions (whether it has depends on how earlier tests left the history tables).
    refused.append(reverse(name, args=[pk, "NUL"]).replace("/NUL/", "/%00/"))
    urls += [reverse(name, args=[pk, wrong]) for wrong in ["abc", "1.5", TOO_BIG]]
    version = model.history.filter(pk=pk).values_list("history_id", flat=True).first()
    if version is not None:
        urls.append(reverse(name, args=[pk, version]))
    return urls, refused


def filter_params(response, model_admin):
    """(refused, wrong) query dicts built from the changelist's own filters."""
    refused, wrong = [], []
    changelist = response.context["cl"] if response.context else None
    if changelist is None:  # not theirs to see: the generic parameters only
        return refused, wrong
    dates = [model_admin.date_hierarchy] if model_admin.date_hierarchy else []
    for spec in changelist.filter_specs:
        for name in spec.expected_parameters():
            refused += [{name: value} for value in REFUSED_VALUES]
            wrong += [{name: value} for value in WRONG_VALUES]
        field = getattr(spec, "field", None)
        if isinstance(field, models.DateField):  # DateTimeField too
            dates.append(spec.field_path)
    for path in dict.fromkeys(dates):
        for part, values in REFUSED_DATE_PARTS.items():
            refused += [{f"{path}__{part}": value} for value in values]
        for part, values in EDGE_DATE_PARTS.items():
            wrong += [{f"{path}__{part}": value} for value in values]
        refused.append({f"{path}__year__gte": "10000"})
        wrong += [{f"{path}__gte": "2026-13-45"}, {f"{path}__lt": "99999-01-01"}]
        wrong.append({f"{path}__year": "2026", f"{path}__month": "2", f"{path}__day": "30"})
        wrong.append({f"{path}__year": "9998", f"{path}__month": "12", f"{path}__day": "31"})
    return refused, wrong


def autocomplete_urls():
    base = reverse("admin:autocomplete")
    refused, wrong = [], []
    for model, model_admin in admin.site._registry.items():
        for field in model_admin.autocomplete_fields:
            query = {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field,
            }
            refused += [
                f"{base}?{urlencode({**query, 'term': NUL})}",
                f"{base}?{urlencode({**query, 'term': 'a', 'page': TOO_BIG})}",
                f"{base}?{urlencode({**query, 'field_name': field + NUL})}",
            ]
            wrong.append(f"{base}?{urlencode({**query, 'term': 'a', 'page': 'abc'})}")
    return refused, wrong


def walk(client):
    """Every request of the walk: (url, params, expect_refused)."""
    requests = []
    for model, model_admin, url in changelists():
        refused, wrong = filter_params(client.get(url), model_admin)
        requests += [(url, params, True) for params in refused]
        requests += [(url, params, False) for params in wrong + GENERIC_PARAMS]
        requests.append((url, {"status__exact": NUL}, True))
        urls, refused_urls = object_urls(model)
        for object_url in urls:
            requests.append((object_url, {"_changelist_filters": "status__exact=%00"}, True))
        requests += [(u, {}, True) for u in refused_urls]
        requests += [(u, {}, False) for u in urls]
    refused, wrong = autocomplete_urls()
    requests += [(u, {}, True) for u in refused] + [(u, {}, False) for u in wrong]
    for url in staff_urls():
        if not url.startswith("/staff/"):
            continue
        for name in STAFF_PARAMS:
            requests += [(url, {name: value}, True) for value in [NUL, TOO_BIG]]
            requests.append((url, {name: "-99999"}, False))
    return requests


@pytest.mark.parametrize("role", ["officer", "partner_contact"])
def test_hand_made_admin_and_staff_urls_never_fail(world, request, role):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(request.getfixturevalue(role))
    requests = walk(client)
    assert len(requests) > 1000  # the walk really found the admin's filters and pages

    errors, not_refused = [], []
    for url, params, expect_refused in requests:
        response = client.get(url, params)
        if response.status_code >= 500:
            errors.append((url, params, response.status_code))
        elif expect_refused and response.status_code != 400:
            not_refused.append((url, params, response.status_code))

    assert errors == []
    assert not_refused == []


def test_the_walk_covers_the_findings(world, officer):  # noqa: F811
    """The outside test's own examples are among the walk's requests."""
    client = Client()
    client.force_login(officer)
    requests = [(url, params) for url, params, _ in walk(client)]

    assert ("/admin/directory/service/", {"status__exact": NUL}) in requests
    assert ("/admin/volunteering/interest/", {"created__year": "99999"}) in requests
    assert ("/admin/partners/agreement/", {"start_date__year": "99999999999"}) in requests
    assert ("/admin/hubs/engagement/", {"hub__id__exact": NUL}) in requests
    assert any(u.startswith("/admin/autocomplete/?") and "term=%00" in u for u, _ in requests)
    assert any(u.endswith("/history/%00/") for u, _ in requests)
    assert any(u.endswith("/%00/change/") for u, _ in requests)
