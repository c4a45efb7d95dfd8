"""Officers add organisations; their numbers are tidied and checked."""

import pytest
from django.urls import reverse

from partners.models import Organisation
from tests.partners.admin.formdata import (
    organisation_data,
)

pytestmark = pytest.mark.django_db


def test_officer_adds_an_organisation_and_numbers_are_tidied(officer_client):
    response = officer_client.post(
        reverse("admin:partners_organisation_add"),
        organisation_data(charity_number="sc 012345", company_number="4296563"),
    )

    assert response.status_code == 302
    org = Organisation.objects.get(slug="basildon-community-transport")
    assert (org.charity_number, org.company_number) == ("SC012345", "04296563")


def test_invalid_charity_number_shows_a_clear_message_and_saves_nothing(officer_client):
    response = officer_client.post(
        reverse("admin:partners_organisation_add"), organisation_data(charity_number="12-34")
    )

    assert response.status_code == 200
    assert "Enter a Charity Commission number like 1234567" in response.content.decode()
    assert not Organisation.objects.exists()
