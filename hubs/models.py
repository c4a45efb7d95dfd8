"""Community hubs, their coordinators, recurring activities and the engagement log.

Engagements are anonymous headcounts: numbers only, never residents' names or contact details.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from core.scope import scope_of
from directory.models import Area, Location
from partners.models import Organisation


def visible_hub_ids(user):
    """Ids of the hubs this user may see, or None for all (officers): the request's
    core.scope, for callers that check a hub id rather than filter a queryset."""
    scope = scope_of(user)
    return None if scope.everything else scope.hub_ids


def may_see_hub(user, hub_id) -> bool:
    return scope_of(user).sees_hub(hub_id)


class HubQuerySet(models.QuerySet):
    def for_user(self, user):
        """Officers see every hub; coordinators only the hubs they coordinate (core.scope)."""
        scope = scope_of(user)
        return self if scope.everything else self.filter(pk__in=scope.hub_ids)

    def public(self):
        """Hubs shown on the public site: open, or in development (listed as coming soon)."""
        return self.exclude(status=Hub.Status.CLOSED)


class Hub(models.Model):
    """A place-based community hub, e.g. in a primary school, run with a lead VCS partner."""

    class VenueKind(models.TextChoices):
        SCHOOL = "school", "School"
        GP_PRACTICE = "gp_practice", "GP practice"
        COMMUNITY_CENTRE = "community_centre", "Community centre"
        LIBRARY = "library", "Library"
        BUSINESS = "business", "Business"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        IN_DEVELOPMENT = "in_development", "In development"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    venue_kind = models.CharField(max_length=20, choices=VenueKind.choices)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="hubs"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="hubs")
    lead_partner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_hubs",
        help_text="The voluntary and community sector organisation that leads the hub",
    )
    opened = models.DateField("opened on", null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_DEVELOPMENT)
    focus_areas = models.TextField(
        blank=True, help_text="One per line, for example: Loneliness and isolation"
    )
    opening_times = models.TextField(
        blank=True, help_text="One per line, for example: Monday to Friday, 8:30am to 3:30pm"
    )
    description = models.TextField("public description", blank=True)
    how_to_get_involved = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="HubCoordinator", related_name="coordinated_hubs"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = HubQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="open") | Q(opened__isnull=False),
                name="hubs_hub_open_has_opened_date",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hubs:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.status == self.Status.OPEN and not self.opened:
            raise ValidationError({"opened": "Enter the date the hub opened"})

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_in_development(self):
        return self.status == self.Status.IN_DEVELOPMENT

    @property
    def focus_area_list(self):
        return [line.strip() for line in self.focus_areas.splitlines() if line.strip()]

    @property
    def opening_time_list(self):
        return [line.strip() for line in self.opening_times.splitlines() if line.strip()]


class HubCoordinator(models.Model):
    """A staff user who coordinates a hub: they log and see that hub's engagements."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hub_memberships"
    )
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="memberships")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hub coordinator"
        constraints = [
            models.UniqueConstraint(fields=["user", "hub"], name="hubs_hubcoordinator_unique"),
        ]

    def __str__(self):
        return f"{self.user} at {self.hub}"


def coordinated_hub_ids(user):
    """The hubs a coordinator's login looks after (core.scope reads it)."""
    return HubCoordinator.objects.filter(user=user).values_list("hub_id", flat=True)


class ActivityQuerySet(models.QuerySet):
    def for_user(self, user):
        scope = scope_of(user)
        return self if scope.everything else self.filter(hub_id__in=scope.hub_ids)

    def published(self):
        """Active activities at open hubs: shown on hub pages (and later in the directory)."""
        return self.filter(is_active=True, hub__status=Hub.Status.OPEN)

    def today_first(self, day: datetime.date):
        """`day`'s sessions first, in timetable order, then the rest by name (the session
        form: a coordinator at the door picks from what is on today)."""
        today = models.Case(models.When(weekday=day.weekday(), then=0), default=1)
        return self.annotate(is_today=today).order_by("is_today", "start_time", "name")


class Activity(models.Model):
    """A recurring session at a hub. Fields map onto a directory Service one to one."""

    class Category(models.TextChoices):
        COFFEE_MORNING = "coffee_morning", "Coffee morning"
        FITNESS = "fitness", "Fitness"
        PLAY = "play", "Play"
        COOKING = "cooking", "Cooking"
        GARDENING = "gardening", "Gardening"
        TRAINING = "training", "Training and skills"
        ADVICE = "advice", "Advice session"
        OTHER = "other", "Other"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="activities")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()
    run_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hub_activities",
        help_text="Leave empty if the hub runs it",
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hub_activities",
        help_text="Leave empty if it happens at the hub",
    )
    is_active = models.BooleanField(
        "published",
        default=True,
        help_text="Shown on the hub's public page and in the directory",
    )
    # Its listing in the public directory, kept in step by hubs.publishing.
    service = models.OneToOneField(
        "directory.Service",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="hub_activity",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["hub__name", "weekday", "start_time", "name"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="hubs_activity_ends_after_start"
            ),
        ]
        indexes = [
            # The hub page's "what's on this week": a hub's activities by day and time.
            models.Index(fields=["hub", "weekday", "start_time"], name="hubs_activity_week_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.hub})"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": "The end time must be after the start time"})

    @property
    def venue(self):
        """Where it happens: its own location, or the hub's."""
        return self.location or self.hub.location


class HubScopedQuerySet(models.QuerySet):
    """Rows with a hub: for_user keeps those at the hubs the user may see."""

    def for_user(self, user):
        scope = scope_of(user)
        return self if scope.everything else self.filter(hub_id__in=scope.hub_ids)


# Renewed whenever an engagement is saved or deleted (hubs.apps): figures from engagements
# kept in the cache (dashboard.engagements) are keyed with it (core.cache.version).
ENGAGEMENTS_VERSION_KEY = "hubs:engagements:version"


class EngagementQuerySet(HubScopedQuerySet):
    def like(self, *, hub_id, activity_id, date):
        """Sessions that look like this one: same hub, activity (so the same start time in
        the timetable; or both drop-ins) and date. A second one is usually a double entry."""
        return self.filter(hub_id=hub_id, activity_id=activity_id, date=date)


AGE_BANDS = [
    # field name, label
    ("age_under_5", "Under 5"),
    ("age_5_11", "5 to 11"),
    ("age_12_17", "12 to 17"),
    ("age_18_25", "18 to 25"),
    ("age_26_64", "26 to 64"),
    ("age_65_plus", "65 and over"),
]


def _age_band_field(label):
    return models.PositiveIntegerField(f"aged {label.lower()}", default=0)


class Engagement(models.Model):
    """One session's anonymous headcount at a hub. No resident personal data."""

    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="engagements")
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements",
        help_text="Leave empty for a drop-in or one-off",
    )
    date = models.DateField()
    people = models.PositiveIntegerField(
        "number of people", validators=[MinValueValidator(1, "Enter at least 1 person")]
    )
    new_people = models.PositiveIntegerField(
        "of whom new", default=0, help_text="People at the hub for the first time"
    )
    age_under_5 = _age_band_field("Under 5")
    age_5_11 = _age_band_field("5 to 11")
    age_12_17 = _age_band_field("12 to 17")
    age_18_25 = _age_band_field("18 to 25")
    age_26_64 = _age_band_field("26 to 64")
    age_65_plus = _age_band_field("65 and over")
    partner_present = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hub_engagements",
        verbose_name="VCS organisation present",
    )
    referred_to = models.ManyToManyField(
        Organisation, through="Referral", related_name="hub_referrals", blank=True
    )
    notes = models.TextField(
        blank=True, help_text="Do not include names or anything that identifies a person"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "hub__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(people__gte=1), name="hubs_engagement_people_at_least_one"
            ),
            models.CheckConstraint(
                condition=Q(new_people__lte=F("people")),
                name="hubs_engagement_new_within_people",
            ),
            models.CheckConstraint(
                condition=Q(
                    people__gte=F("age_under_5")
                    + F("age_5_11")
                    + F("age_12_17")
                    + F("age_18_25")
                    + F("age_26_64")
                    + F("age_65_plus")
                ),
                name="hubs_engagement_age_bands_within_people",
            ),
        ]
        indexes = [
            # Reports: one hub's engagements by month, and the borough's over a date range.
            models.Index(fields=["hub", "date"], name="hubs_engagement_hub_date_idx"),
            models.Index(fields=["date"], name="hubs_engagement_date_idx"),
        ]

    def __str__(self):
        return f"{self.hub} on {date_format(self.date, 'j F Y')}: {self.people} people"

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if not adding:  # a moved session takes its referrals with it (see Referral)
            self.referrals.exclude(hub_id=self.hub_id, date=self.date).update(
                hub_id=self.hub_id, date=self.date
            )

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.date and self.date > today:
            errors["date"] = "The date must be today or in the past"
        elif (
            self.date
            and self.hub_id
            and self.hub.opened
            and self.date < self.hub.opened
            and self.hub.opened <= today
        ):
            errors["date"] = (
                f"The date must be on or after {date_format(self.hub.opened, 'j F Y')}, "
                "when the hub opened"
            )
        if self.activity_id and self.hub_id and self.activity.hub_id != self.hub_id:
            errors["activity"] = f"Choose an activity at {self.hub}"
        if self.people is not None:
            if self.new_people is not None and self.new_people > self.people:
                errors["new_people"] = "The number of new people cannot be more than the total"
            banded = self.age_band_total
            if banded > self.people:
                errors.setdefault(
                    "age_under_5",
                    f"The age bands add up to {banded}, which is more than the "
                    f"{self.people} people at the session",
                )
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # clean() checks the same rules as the CheckConstraints, with clearer messages and
        # without a query per constraint (which matters in the CSV import); the database
        # still enforces them.
        return

    @property
    def age_band_total(self):
        return sum(getattr(self, name) or 0 for name, _ in AGE_BANDS)


class Referral(models.Model):
    """People referred or signposted from one session to an organisation (a count, no names).

    `hub` and `date` are copies of the session's, kept in step by save() on both models, so a
    report reads a period's referrals from their own index instead of joining every session
    in it (slow at county scale). Writes that skip save() (bulk_create, QuerySet.update of
    a session's hub or date) must set them too.
    """

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="referrals")
    hub = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="+", editable=False, db_index=False
    )
    date = models.DateField(editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="hub_referrals_received"
    )
    count = models.PositiveIntegerField(
        "people referred", default=1, validators=[MinValueValidator(1)]
    )

    objects = HubScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "organisation"], name="hubs_referral_unique_organisation"
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="hubs_referral_count_positive"),
        ]

    def __str__(self):
        return f"{self.count} to {self.organisation}"

    def save(self, *args, **kwargs):
        self._follow_engagement()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self._follow_engagement()
        super().clean_fields(exclude)

    def _follow_engagement(self):
        if self.engagement_id is not None:
            self.hub_id, self.date = self.engagement.hub_id, self.engagement.date


def next_seven_days(today: datetime.date):
    """Today and the six days after it: a hub page shows what is still to come, never a
    Monday-to-Sunday week that on a Saturday holds only finished sessions."""
    return [today + datetime.timedelta(days=i) for i in range(7)]
