import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.roles import COORDINATOR, OFFICER, PARTNER_CONTACT
from partners.models import (
    Agreement,
    Grant,
    Kpi,
    KpiReturn,
    Organisation,
    PartnerMembership,
    normalise_company_number,
)
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    KpiFactory,
    KpiReturnFactory,
    OrganisationFactory,
    PartnerMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "number", ["123456", "1234567", "1234567-1", "1091235-12", "SC012345", "sc 012345", "NIC101234"]
)
def test_valid_charity_numbers_are_accepted(number):
    org = OrganisationFactory.build(charity_number=number)

    org.full_clean(exclude=["slug"])

    assert org.charity_number == number.upper().replace(" ", "")


@pytest.mark.parametrize(
    "number", ["12345", "12345678", "1234567-", "SC12345", "NI101234", "CH1234567", "abc"]
)
def test_invalid_charity_numbers_get_a_clear_message(number):
    org = OrganisationFactory.build(charity_number=number)

    with pytest.raises(ValidationError) as exc:
        org.full_clean(exclude=["slug"])

    assert "Charity Commission number like 1234567" in str(exc.value.message_dict["charity_number"])


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("4296563", "04296563"),
        ("123", "00000123"),
        ("sc123456", "SC123456"),
        ("OC 301234", "OC301234"),
    ],
)
def test_company_numbers_get_their_leading_zeros_back(typed, stored):
    assert normalise_company_number(typed) == stored
    org = OrganisationFactory.build(company_number=typed)
    org.full_clean(exclude=["slug"])
    assert org.company_number == stored


@pytest.mark.parametrize("number", ["123456789", "S1234567", "AB12345X"])
def test_invalid_company_numbers_are_rejected(number):
    org = OrganisationFactory.build(company_number=number)

    with pytest.raises(ValidationError) as exc:
        org.full_clean(exclude=["slug"])

    assert "company_number" in exc.value.message_dict


@pytest.mark.parametrize(
    ("charity", "company", "org_id"),
    [
        ("1091235", "04296563", "GB-CHC-1091235"),
        ("1091235-1", "", "GB-CHC-1091235"),
        ("SC012345", "", "GB-SC-SC012345"),
        ("NIC101234", "", "GB-NIC-101234"),
        ("", "04296563", "GB-COH-04296563"),
        ("", "", ""),
    ],
)
def test_org_id_follows_org_id_guide_prefixes(charity, company, org_id):
    assert Organisation(charity_number=charity, company_number=company).org_id == org_id


def test_end_date_before_start_is_refused_by_validation_and_the_database():
    agreement = AgreementFactory.build(
        organisation=OrganisationFactory(),
        start_date=dt.date(2026, 4, 1),
        end_date=dt.date(2026, 3, 31),
    )

    with pytest.raises(ValidationError) as exc:
        agreement.full_clean()
    assert exc.value.message_dict["end_date"] == [
        "The end date must be the same as or after the start date"
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement.save()
    assert not Agreement.objects.exists()


def test_agreement_reference_is_unique_in_validation_and_the_database():
    AgreementFactory(reference="SLA-2026-001")
    duplicate = AgreementFactory.build(organisation=OrganisationFactory(), reference="SLA-2026-001")

    with pytest.raises(ValidationError, match="Another agreement already has this reference"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_negative_money_is_refused():
    agreement = AgreementFactory.build(organisation=OrganisationFactory(), annual_value=-1)
    with pytest.raises(ValidationError) as exc:
        agreement.full_clean()
    assert "cannot be negative" in str(exc.value.message_dict["annual_value"])
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement.save()

    grant = GrantFactory.build(organisation=OrganisationFactory(), amount=Decimal("-5"))
    with pytest.raises(ValidationError) as exc:
        grant.full_clean()
    assert "more than £0" in str(exc.value.message_dict["amount"])
    with pytest.raises(IntegrityError), transaction.atomic():
        grant.save()
    assert not Grant.objects.exists()


def test_one_return_per_kpi_per_quarter():
    first = KpiReturnFactory(financial_year=2025, quarter=2)
    duplicate = KpiReturn(kpi=first.kpi, financial_year=2025, quarter=2, value=Decimal("5"))

    with pytest.raises(ValidationError, match="already exists"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # Another quarter, or another KPI, is fine.
    KpiReturn.objects.create(kpi=first.kpi, financial_year=2025, quarter=3, value=1)
    KpiReturnFactory(financial_year=2025, quarter=2)


def test_quarter_number_is_checked_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        KpiReturnFactory(quarter=5)


def test_a_return_cannot_be_for_a_quarter_that_has_not_started():
    kpi = KpiFactory(agreement=AgreementFactory(end_date=dt.date(2099, 3, 31)))
    future = KpiReturn(kpi=kpi, financial_year=2098, quarter=1, value=1)

    with pytest.raises(ValidationError, match="has not started"):
        future.full_clean()


def test_a_return_must_fall_within_the_agreement():
    kpi = KpiFactory(
        agreement=AgreementFactory(start_date=dt.date(2025, 4, 1), end_date=dt.date(2026, 3, 31))
    )

    with pytest.raises(ValidationError, match="2024-25 Q4 is outside the agreement"):
        KpiReturn(kpi=kpi, financial_year=2024, quarter=4, value=1).full_clean()
    KpiReturn(kpi=kpi, financial_year=2025, quarter=4, value=1).full_clean()


def test_kpi_names_are_unique_within_an_agreement():
    kpi = KpiFactory(name="People helped")

    with pytest.raises(ValidationError, match="already has a KPI with this name"):
        Kpi(agreement=kpi.agreement, name="People helped", unit="people", target=1).full_clean()


def test_a_login_links_to_an_organisation_once():
    membership = PartnerMembershipFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerMembership.objects.create(user=membership.user, organisation=membership.organisation)


def test_for_user_gives_officers_everything_and_partner_contacts_only_their_own(
    partner_contact, partner_organisation
):
    own_agreement = AgreementFactory(organisation=partner_organisation)
    mine = KpiReturnFactory(kpi=KpiFactory(agreement=own_agreement))
    theirs = KpiReturnFactory()
    officer = UserFactory(groups=[OFFICER])
    coordinator = UserFactory(groups=[COORDINATOR])
    superuser = UserFactory(is_superuser=True)

    for model, own, other in [
        (Organisation, partner_organisation, theirs.kpi.agreement.organisation),
        (Agreement, mine.kpi.agreement, theirs.kpi.agreement),
        (Kpi, mine.kpi, theirs.kpi),
        (KpiReturn, mine, theirs),
    ]:
        assert set(model.objects.for_user(partner_contact)) == {own}, model
        assert {own, other} <= set(model.objects.for_user(officer))
        assert {own, other} <= set(model.objects.for_user(superuser))
        assert not model.objects.for_user(coordinator).exists()


def test_a_membership_without_the_partner_contact_group_grants_nothing(partner_organisation):
    user = UserFactory()
    PartnerMembershipFactory(user=user, organisation=partner_organisation)

    assert not Organisation.objects.for_user(user).exists()


def test_an_inactive_partner_contact_sees_nothing(partner_contact):
    partner_contact.is_active = False
    partner_contact.save()

    assert not Organisation.objects.for_user(partner_contact).exists()


def test_partner_contact_group_gets_read_and_submit_permissions_only():
    from django.contrib.auth.models import Group

    perms = set(
        Group.objects.get(name=PARTNER_CONTACT).permissions.values_list("codename", flat=True)
    )

    assert {"view_agreement", "view_kpi", "add_kpireturn", "view_kpireturn"} <= perms
    assert not {"change_agreement", "add_agreement", "delete_kpireturn", "change_grant"} & perms


def test_due_soon_lists_agreements_ending_or_due_for_review(settings):
    today = dt.date(2026, 11, 25)
    ending = AgreementFactory(start_date=dt.date(2024, 4, 1), end_date=dt.date(2027, 1, 31))
    review = AgreementFactory(review_date=dt.date(2027, 2, 20))
    AgreementFactory(review_date=dt.date(2027, 2, 24))  # 91 days: not yet
    AgreementFactory(end_date=dt.date(2027, 1, 1), status="ended")

    assert set(Agreement.objects.due_soon(today)) == {ending, review}
