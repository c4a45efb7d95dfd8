"""Volunteer roles, expressions of interest (the placement pipeline), hours, and erasures.

Interests hold residents' personal data. They keep no django-simple-history copies: the
pipeline's dates live in `InterestEvent` rows, which are deleted with their interest, and every
`__str__` is the reference only, so the admin's change log never stores a name or an address.
"""

import datetime
import re
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core import references
from core.scope import scope_of
from directory.models import Area
from hubs.models import Hub
from partners.models import Organisation, normalise_phone

PHONE = re.compile(r"^\+?[0-9]{10,15}$")


def new_reference() -> str:
    """An interest's reference (migrations name this function as the field's default)."""
    return references.new_reference("VOL")


def new_erasure_reference() -> str:
    return references.new_reference("ERA")


def validate_phone(value):
    if value and not PHONE.match(normalise_phone(value)):
        raise ValidationError(
            "Enter a phone number like 01268 123456 or 07700 900123", code="invalid_phone"
        )


class Skill(models.Model):
    """What a role needs or a volunteer offers (data, not code: officers add their own)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class RoleQuerySet(models.QuerySet):
    organisation_path = "organisation_id"

    def for_user(self, user):
        """Officers see every role; a partner contact only their organisations' roles."""
        scope = scope_of(user)
        if scope.everything:
            return self
        return self.filter(**{f"{self.organisation_path}__in": scope.organisation_ids})

    def public(self, today: datetime.date | None = None):
        """Open roles of active organisations whose closing date has not passed."""
        today = today or timezone.localdate()
        return self.filter(
            Q(closing_date__isnull=True) | Q(closing_date__gte=today),
            status=Role.Status.OPEN,
            organisation__is_active=True,
        )

    def matching(self, words: str):
        """Every word appears in the title, description, organisation or a skill (any case).

        One LIKE per word on `Role.search_text`, which holds them all: this runs on every
        directory search, and the joins and subqueries of searching each place were slow,
        mostly in building and planning the query."""
        qs = self
        for word in words.split()[:10]:
            qs = qs.filter(search_text__contains=word.casefold())
        return qs


class Role(models.Model):
    """A volunteer role offered by an organisation, perhaps at a hub."""

    class Commitment(models.TextChoices):
        ONE_OFF = "one_off", "One-off"
        FLEXIBLE = "flexible", "Flexible: as little or as much as you like"
        REGULAR = "regular", "Regular"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (not shown)"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="roles")
    hub = models.ForeignKey(
        Hub, null=True, blank=True, on_delete=models.SET_NULL, related_name="volunteer_roles"
    )
    title = models.CharField(max_length=200)
    summary = models.CharField(
        max_length=300, blank=True, help_text="One sentence shown in search results"
    )
    description = models.TextField(help_text="What the volunteer will do, and what they get")
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_roles",
        help_text="Where the role happens. Leave empty only for remote roles.",
    )
    is_remote = models.BooleanField("can be done from home", default=False)
    commitment = models.CharField(max_length=10, choices=Commitment.choices)
    hours_per_week = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.5), MaxValueValidator(60)],
        help_text="For regular roles",
    )
    when = models.CharField(
        max_length=200, blank=True, help_text="For example, Saturday mornings, or 20 June 2026"
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="roles")
    minimum_age = models.PositiveSmallIntegerField(
        default=18, validators=[MaxValueValidator(99)], help_text="Under 18s can apply if lower"
    )
    dbs_check_needed = models.BooleanField(
        "DBS check needed", default=False, help_text="The organisation arranges and pays for it"
    )
    accessibility = models.TextField(
        blank=True, help_text="Step-free access, seated work, adjustments the organisation makes"
    )
    closing_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # What matching() searches: kept by save() and, for changes to skills and organisation
    # names, by volunteering.signals. Derived, so not in the role's history.
    search_text = models.TextField(blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = RoleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=False) | Q(is_remote=True),
                name="volunteering_role_has_area_or_remote",
                violation_error_message="Choose where the role happens, or tick remote.",
            ),
            models.CheckConstraint(
                condition=~Q(commitment="regular") | Q(hours_per_week__isnull=False),
                name="volunteering_role_regular_has_hours",
                violation_error_message="Enter the hours per week for a regular role.",
            ),
        ]
        indexes = [
            # Public search: open roles by closing date.
            models.Index(fields=["status", "closing_date"], name="vol_role_public_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.organisation})"

    def save(self, *args, **kwargs):
        self.search_text = self.searchable_text()
        if update_fields := kwargs.get("update_fields"):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("volunteering:role", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.area_id is None and not self.is_remote:
            errors["area"] = "Choose where the role happens, or tick remote"
        if self.commitment == self.Commitment.REGULAR and self.hours_per_week is None:
            errors["hours_per_week"] = "Enter the hours per week for a regular role"
        if errors:
            raise ValidationError(errors)

    @property
    def suitable_for_under_18s(self):
        return self.minimum_age < 18

    @property
    def commitment_text(self):
        if self.commitment == self.Commitment.REGULAR and self.hours_per_week is not None:
            # Decimal("2.0"):g is "2.0"; normalize() drops the zero and :f any exponent.
            hours = f"{Decimal(str(self.hours_per_week)).normalize():f}"
            return f"Regular, {hours} hour{'' if hours == '1' else 's'} a week"
        return self.get_commitment_display()

    @property
    def where_text(self):
        area = self.area
        if area and self.is_remote:
            return f"{area.name}, or from home"
        return area.name if area else "From home (remote)"

    def is_public(self, today=None):
        today = today or timezone.localdate()
        return (
            self.status == self.Status.OPEN
            and (self.closing_date is None or self.closing_date >= today)
            and self.organisation.is_active
        )

    def searchable_text(self) -> str:
        """The title, description, organisation and skill names, casefolded, one to a line
        (words have no line breaks, so none matches across two)."""
        skills = [skill.name for skill in self.skills.all()] if self.pk else []
        organisation = self.organisation.name if self.organisation_id else ""
        return "\n".join([self.title, self.description, organisation, *skills]).casefold()


class InterestQuerySet(models.QuerySet):
    def for_user(self, user):
        """Officers see every interest; a partner contact only those in their roles.
        General interests (no role) are for officers alone."""
        scope = scope_of(user)
        if scope.everything:
            return self
        return self.filter(role__organisation_id__in=scope.organisation_ids)

    def personal(self):
        """Interests still holding personal data."""
        return self.filter(anonymised_at__isnull=True)

    def for_person(self, *, email: str = "", phone: str = ""):
        """One person's interests, by email (any case) and/or phone (however typed)."""
        condition = Q()
        if email:
            condition |= Q(email__iexact=email.strip())
        if phone:
            condition |= Q(phone=normalise_phone(phone))
        return self.filter(condition) if condition else self.none()

    def waiting(self, level: str, today: datetime.date | None = None):
        """Interests past their stage's target: "amber" (past it, not yet red), "red" (past
        twice the target) or "any" (either)."""
        from volunteering.pipeline import AMBER, RED, flag_cutoffs

        condition = Q()
        for status, cutoffs in flag_cutoffs(today or timezone.localdate()).items():
            stage = Q(status=status)
            if level == AMBER:
                stage &= Q(status_changed_at__date__lt=cutoffs[AMBER])
                stage &= Q(status_changed_at__date__gte=cutoffs[RED])
            elif level == RED:
                stage &= Q(status_changed_at__date__lt=cutoffs[RED])
            else:
                stage &= Q(status_changed_at__date__lt=cutoffs[AMBER])
            condition |= stage
        if not condition:
            return self.none()
        return self.filter(condition, anonymised_at__isnull=True)


class Interest(models.Model):
    """Someone's expression of interest in a role, or a general "I'd like to help"."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        PLACED = "placed", "Placed"
        NOT_PROGRESSED = "not_progressed", "Not progressed"

    class Availability(models.TextChoices):
        WEEKDAY_DAYTIME = "weekday_daytime", "Weekday daytimes"
        WEEKDAY_EVENINGS = "weekday_evenings", "Weekday evenings"
        WEEKENDS = "weekends", "Weekends"
        ONE_OFF_EVENTS = "one_off_events", "One-off events"
        FROM_HOME = "from_home", "From home"

    reference = models.CharField(max_length=10, unique=True, default=new_reference, editable=False)
    role = models.ForeignKey(
        Role,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interests",
        help_text="Empty for a general offer of help",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Personal data: cleared on anonymisation.
    name = models.CharField("full name", max_length=100, blank=True)
    email = models.EmailField("email address", blank=True)
    phone = models.CharField("phone number", max_length=20, blank=True, validators=[validate_phone])
    message = models.TextField(blank=True)
    # A general offer of help: what, where and when.
    skills = models.ManyToManyField(Skill, blank=True, related_name="interests")
    areas = models.ManyToManyField(Area, blank=True, related_name="volunteer_interests")
    availability = models.JSONField(default=list, blank=True)
    consent_at = models.DateTimeField(
        "consent given at", help_text="When they agreed to us storing and sharing their details"
    )
    created = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(
        default=timezone.now, help_text="The retention period counts from here"
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = InterestQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="", phone="") | Q(anonymised_at__isnull=False),
                name="volunteering_interest_has_contact",
                violation_error_message="Give an email address or a phone number.",
            ),
        ]
        indexes = [
            # Amber/red flags and the pipeline list: interests by stage and time in it.
            models.Index(fields=["status", "status_changed_at"], name="vol_interest_stage_idx"),
            # The retention purge: personal records by last activity.
            models.Index(fields=["last_activity_at"], name="vol_interest_retention_idx"),
            # Subject access and erasure by email.
            models.Index(fields=["email"], name="vol_interest_email_idx"),
        ]

    def __str__(self):
        return self.reference  # never personal data: it is copied into the admin log

    def clean(self):
        self.phone = normalise_phone(self.phone)
        self.email = (self.email or "").strip().lower()
        if not self.email and not self.phone and not self.anonymised_at:
            raise ValidationError("Give an email address or a phone number, or both")

    @property
    def is_general(self):
        return self.role_id is None

    @property
    def is_anonymised(self):
        return self.anonymised_at is not None

    def availability_labels(self):
        labels = dict(self.Availability.choices)
        return [labels.get(code, code) for code in self.availability]


class InterestEvent(models.Model):
    """One move through the pipeline: the date of each change (no personal data)."""

    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=Interest.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Interest.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.interest_id}: {self.from_status or 'start'} to {self.to_status}"


class HoursQuerySet(models.QuerySet):
    def for_user(self, user):
        scope = scope_of(user)
        if scope.everything:
            return self
        return self.filter(interest__role__organisation_id__in=scope.organisation_ids)

    def confirmed(self):
        return self.filter(confirmed_hours__isnull=False)


class VolunteerHours(models.Model):
    """Hours one volunteer gave in one role on a date. Logged hours and the hours the
    organisation confirmed are kept apart; reports count confirmed hours only."""

    interest = models.ForeignKey(
        Interest,
        on_delete=models.PROTECT,
        related_name="hours",
        verbose_name="volunteer (placement reference)",
    )
    date = models.DateField()
    hours = models.DecimalField(
        "hours logged",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0.25), MaxValueValidator(24)],
    )
    confirmed_hours = models.DecimalField(
        "hours confirmed",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
        help_text="Set by the organisation; empty until confirmed",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = HoursQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "volunteer hours"
        verbose_name_plural = "volunteer hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="volunteering_hours_in_a_day"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_hours__isnull=True)
                | Q(confirmed_hours__gte=0, confirmed_hours__lte=24),
                name="volunteering_hours_confirmed_in_a_day",
            ),
        ]
        indexes = [
            # The hours report: confirmed hours by date.
            models.Index(fields=["date"], name="vol_hours_date_idx"),
        ]

    def __str__(self):
        return f"{self.hours:g} hours on {self.date:%d/%m/%Y}"

    def clean(self):
        if self.interest_id and self.interest.role_id is None:
            raise ValidationError(
                {"interest": "Hours are recorded against a role: choose a placement in a role"}
            )
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": "The date cannot be in the future"})

    @property
    def is_confirmed(self):
        return self.confirmed_hours is not None


class ErasureRecord(models.Model):
    """That a person's data was erased: when, by whom, what, and a reference to quote back.
    It holds no personal data about the person."""

    reference = models.CharField(
        max_length=10, unique=True, default=new_erasure_reference, editable=False
    )
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_description = models.CharField(
        max_length=100, blank=True, help_text="Who ran it when not a signed-in officer"
    )
    interests_deleted = models.PositiveIntegerField(default=0)
    interests_anonymised = models.PositiveIntegerField(default=0)
    events_deleted = models.PositiveIntegerField(default=0)
    hours_kept_anonymously = models.PositiveIntegerField(default=0)
    suggestion_senders_cleared = models.PositiveIntegerField(
        default=0, help_text="Directory suggestions whose sender's name and email were cleared"
    )
    contacts_erased = models.PositiveIntegerField(
        default=0,
        help_text="Organisations' contact records deleted, with their change history",
    )

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return self.reference
