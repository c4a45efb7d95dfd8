"""Partner organisations, their contacts, and the logins that belong to them."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.scope import scope_of
from core.validators import validate_web_address

CHARITY_NUMBER = re.compile(r"^(\d{6,7}(-\d{1,3})?|SC\d{6}|NIC\d{6})$")
COMPANY_NUMBER = re.compile(r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$")


def normalise_phone(value: str) -> str:
    """Digits only (a leading + kept), UK +44 written as 0: how phone numbers are matched
    (volunteers' and organisations' contacts alike)."""
    value = re.sub(r"[\s\-().]", "", value or "")
    if value.startswith("+44"):
        value = "0" + value[3:]
    elif value.startswith("0044"):
        value = "0" + value[4:]
    return value


def normalise_charity_number(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def normalise_company_number(value: str) -> str:
    """Upper-case, no spaces, and restore leading zeros that spreadsheets strip."""
    value = re.sub(r"\s+", "", value or "").upper()
    if value.isdigit() and len(value) < 8:
        value = value.zfill(8)
    return value


def validate_charity_number(value):
    if value and not CHARITY_NUMBER.match(value):
        raise ValidationError(
            "Enter a Charity Commission number like 1234567 or 1234567-1, a Scottish "
            "number like SC012345, or a Northern Ireland number like NIC101234",
            code="invalid_charity_number",
        )


def validate_company_number(value):
    if value and not COMPANY_NUMBER.match(value):
        raise ValidationError(
            "Enter a Companies House number of 8 characters, like 01234567 or SC123456",
            code="invalid_company_number",
        )


class ForUserQuerySet(models.QuerySet):
    """`for_user(user)`: officers and superusers see everything; a partner contact sees only
    their organisations' records; anyone else sees nothing (core.scope)."""

    organisation_path = "organisation"

    def for_user(self, user):
        scope = scope_of(user)
        if scope.everything:
            return self.all()
        if not scope.organisation_ids:
            return self.none()
        return self.filter(**{f"{self.organisation_path}__in": scope.organisation_ids})


class OrganisationQuerySet(ForUserQuerySet):
    organisation_path = "pk"

    def active(self):
        return self.filter(is_active=True)


class Organisation(models.Model):
    """A voluntary and community sector (VCS) organisation, public body or business."""

    class Kind(models.TextChoices):
        CHARITY = "charity", "Registered charity"
        CIO = "cio", "Charitable incorporated organisation (CIO)"
        CIC = "cic", "Community interest company (CIC)"
        COMMUNITY_GROUP = "community_group", "Community group"
        PUBLIC_BODY = "public_body", "Public body"
        BUSINESS = "business", "Business"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CHARITY)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True, validators=[validate_web_address])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField("active", default=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    charity_number = models.CharField(
        "Charity Commission number",
        max_length=10,
        blank=True,
        help_text="England and Wales: 1234567 (or 1234567-1 for a linked charity). "
        "Scotland: SC012345. Northern Ireland: NIC101234.",
    )
    company_number = models.CharField(
        "Companies House number",
        max_length=8,
        blank=True,
        help_text="8 characters, like 01234567 or SC123456. Leading zeros are added for you.",
    )
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company_number"],
                condition=~Q(company_number=""),
                name="partners_organisation_unique_company_number",
                violation_error_message="Another organisation has this Companies House number.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean_fields(self, exclude=None):
        # Normalise before the length checks, so "OC 301234" and "4296563" are accepted.
        self.charity_number = normalise_charity_number(self.charity_number)
        self.company_number = normalise_company_number(self.company_number)
        super().clean_fields(exclude)

    def clean(self):
        errors = {}
        for field, validator in (
            ("charity_number", validate_charity_number),
            ("company_number", validate_company_number),
        ):
            try:
                validator(getattr(self, field))
            except ValidationError as exc:
                errors[field] = exc
        if errors:
            raise ValidationError(errors)

    @property
    def org_id(self) -> str:
        """An org-id.guide identifier (as 360Giving uses), or "" when none is known."""
        if self.charity_number.startswith("SC"):
            return f"GB-SC-{self.charity_number}"
        if self.charity_number.startswith("NIC"):
            return f"GB-NIC-{self.charity_number.removeprefix('NIC')}"
        if self.charity_number:
            return f"GB-CHC-{self.charity_number.split('-')[0]}"
        if self.company_number:
            return f"GB-COH-{self.company_number}"
        return ""


class Contact(models.Model):
    """A named contact person at an organisation (personal data: keep it current)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True, help_text="For example, Chief Officer")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    is_primary = models.BooleanField("main contact", default=False)

    objects = ForUserQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_primary", "name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class PartnerMembership(models.Model):
    """A partner contact's login belongs to an organisation: they see only its records."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                name="partners_partnermembership_unique_user_organisation",
                violation_error_message="This login is already linked to this organisation.",
            ),
        ]

    def __str__(self):
        return f"{self.user} at {self.organisation}"


def membership_organisation_ids(user):
    """The organisations a partner contact's login belongs to (core.scope reads it)."""
    return PartnerMembership.objects.filter(user=user).values_list("organisation_id", flat=True)
