"""Hand-made admin links and form posts with keys no database could hold: a message, never a
500. Generated from the admin registry, so every relation field of every model is covered."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse

from core.forms import holdable, valid_pk
from partners.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
BAD_KEYS = ["abc", "99999999999999999999", "-1", "1.5", "\u0663"]  # "٣": a digit, not an id


def relation_fields():
    for model, model_admin in admin.site._registry.items():
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        except NoReverseMatch:
            continue
        names = {f.name for f in model._meta.get_fields() if f.is_relation and f.concrete}
        for name in sorted(names | set(model_admin.autocomplete_fields)):
            yield url, name


def test_add_links_and_posts_with_impossible_keys_never_fail(superuser):
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    failures = []
    fields = list(relation_fields())
    assert len(fields) > 40  # the walk really found the admin's relation fields

    for url, name in fields:
        for key in BAD_KEYS:
            opened = client.get(url, {name: key})
            posted = client.post(url, {name: key})
            failures += [
                (r.request["REQUEST_METHOD"], url, name, key)
                for r in (opened, posted)
                if r.status_code >= 500
            ]

    assert failures == []


def test_an_impossible_key_in_a_post_gets_the_fields_own_message(client, officer):
    client.force_login(officer)

    response = client.post(
        reverse("admin:directory_service_add"),
        {"name": "A service", "organisation": "99999999999999999999", "categories": ["abc"]},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Select a valid choice" in errors["organisation"][0]
    assert "“abc” is not a valid value." in errors["categories"][0]


def test_a_real_key_still_fills_in_the_add_form(client, officer):
    organisation = OrganisationFactory(name="Pre-chosen charity")
    client.force_login(officer)

    page = client.get(reverse("admin:directory_service_add"), {"organisation": organisation.pk})

    assert page.context["adminform"].form.initial["organisation"] == str(organisation.pk)
    assert f'<option value="{organisation.pk}" selected>Pre-chosen charity</option>' in (
        page.content.decode()
    )


def test_keys_a_database_could_hold():
    pk = Organisation._meta.pk
    assert [valid_pk(v) for v in ("12", "0012", "", None, "1e3", "12 ")] == [
        12,
        12,
        None,
        None,
        None,
        None,
    ]
    assert holdable(pk, "9" * 18) and not holdable(pk, "9" * 19)
