"""Services (listings): their categories, schedules, and the words search corrects to."""

import datetime
import uuid

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from core.validators import validate_web_address
from directory.models.places import Area, Location

STALE_AFTER_DAYS = 365


class TaxonomyTerm(models.Model):
    """A category in a (hierarchical) taxonomy, e.g. Food > Food banks."""

    DEFAULT_TAXONOMY = "Connected Communities categories"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100)
    slug = models.SlugField("code", max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)
    taxonomy = models.CharField(max_length=100, default=DEFAULT_TAXONOMY)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "category"
        verbose_name_plural = "categories"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="directory_taxonomyterm_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name


class ServiceSearchDocument(models.Func):
    """What keyword search matches: a weighted tsvector on PostgreSQL (name A; keywords,
    organisation and category names B; description C); lower-cased text elsewhere, so the
    same migrations run on SQLite."""

    # By number of columns: migration 0003 built it from name, keywords and description.
    WEIGHTS = {3: "ABC", 4: "ABBC"}

    def __init__(self, *columns, **extra):
        super().__init__(*columns, output_field=SearchVectorField(), **extra)

    def as_sql(self, compiler, connection, **extra):
        parts, params = [], []
        for expression in self.source_expressions:
            sql, p = compiler.compile(expression)
            parts.append(sql)
            params.extend(p)
        if connection.vendor == "postgresql":
            sql = " || ".join(
                f"setweight(to_tsvector('english'::regconfig, COALESCE({part}, '')), '{weight}')"
                for part, weight in zip(parts, self.WEIGHTS[len(parts)], strict=True)
            )
        else:
            sql = "LOWER(" + " || ' ' || ".join(f"COALESCE({p}, '')" for p in parts) + ")"
        return sql, params


def stale_condition(today=None) -> Q:
    """Services not reviewed for 12 months (or never): for filter() and aggregate filters."""
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=STALE_AFTER_DAYS)
    return Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=cutoff)


class ServiceQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: published, and not withdrawn for good."""
        return self.filter(
            publication=Service.Publication.PUBLISHED,
            status__in=[Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED],
        )

    def for_user(self, user):
        if user.is_authenticated and user.is_staff and user.has_perm("directory.view_service"):
            return self
        return self.published()

    def stale(self, today=None):
        """Not reviewed for 12 months (or never)."""
        return self.filter(stale_condition(today))

    def without_area(self):
        """At no location in any area: online or phone services, or places not yet mapped."""
        return self.exclude(
            Exists(Location.objects.filter(services=OuterRef("pk"), area__isnull=False))
        )

    def in_area(self, area):
        """At a location in this area (an Area or its id) or one of its wards. The area and
        its wards are a subquery of their own, so places are found through their area index
        (an OR across the join read every place: 80 ms at 1,000,000 services)."""
        area = getattr(area, "pk", area)
        areas = Area.objects.filter(Q(pk=area) | Q(parent_id=area)).values("pk")
        places = Location.objects.filter(services=OuterRef("pk"), area__in=areas)
        return self.filter(Exists(places))


class Service(models.Model):
    """Something an organisation offers residents, at zero or more locations."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "Defunct"

    class Publication(models.TextChoices):
        DRAFT = "draft", "Draft (not public)"
        PUBLISHED = "published", "Published"

    class Cost(models.TextChoices):
        FREE = "free", "Free"
        DONATION = "donation", "Pay what you can (donation)"
        PAID = "paid", "Paid"

    class Access(models.TextChoices):
        DROP_IN = "drop_in", "Drop in"
        BOOKING = "booking", "Book a place"
        REFERRAL = "referral", "Referral needed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField()
    keywords = models.CharField(
        max_length=300, blank=True, help_text="Other words people search for, e.g. foodbank"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    publication = models.CharField(
        max_length=10, choices=Publication.choices, default=Publication.DRAFT
    )
    url = models.URLField("website", blank=True, validators=[validate_web_address])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    contact_name = models.CharField(max_length=100, blank=True)
    eligibility = models.TextField("who it is for", blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    cost = models.CharField(max_length=10, choices=Cost.choices, default=Cost.FREE)
    fees_description = models.CharField(
        "fees", max_length=300, blank=True, help_text="For example, £2 a session"
    )
    access = models.CharField(
        "how to access", max_length=10, choices=Access.choices, default=Access.DROP_IN
    )
    access_description = models.CharField("how to access (details)", max_length=300, blank=True)
    categories = models.ManyToManyField(TaxonomyTerm, related_name="services", blank=True)
    locations = models.ManyToManyField(Location, related_name="services", blank=True)
    last_reviewed = models.DateField(null=True, blank=True)
    # The organisation's and categories' names, copied here by directory.services.
    # refresh_search_text so that one indexed document answers keyword search (no joins).
    search_extra = models.TextField(blank=True, editable=False)
    search_document = models.GeneratedField(
        expression=ServiceSearchDocument("name", "keywords", "search_extra", "description"),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    # ORUK's last_modified: when the service or anything shown with it (organisation, places,
    # categories, times) last changed. Set on save; directory.services.touch_services sets it
    # when related records change, so modified_after is one indexed range scan.
    last_modified = models.DateTimeField(auto_now=True, db_index=False)
    # Harvested from another council's ORUK feed (read-only here); blank for our own.
    source_feed = models.ForeignKey(
        "directory.HarvestFeed",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services",
        editable=False,
    )
    source_id = models.CharField(max_length=200, blank=True, editable=False)
    # A digest of what the feed last sent (and our category mapping): an unchanged service is
    # not written again, so a weekly full pass writes only what changed.
    source_digest = models.CharField(max_length=64, blank=True, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        # PostgreSQL also has GIN indexes on published services' search_document (full-text
        # search, migration 0008) and on name (trigram typo tolerance, 0004), and a covering
        # index of published services by organisation (0007): they are PostgreSQL-only.
        indexes = [
            # The staleness filter and the officers' "oldest reviews first" ordering.
            models.Index(fields=["last_reviewed"], name="directory_service_reviewed_idx"),
            # Every public query: published() filters on these two.
            models.Index(fields=["publication", "status"], name="directory_service_public_idx"),
            # The search page without keywords or a postcode: published services by name, a
            # page at a time (ORDER BY name, id LIMIT 20 reads 20 index entries).
            models.Index(
                fields=["name", "id"],
                condition=Q(publication="published", status__in=["active", "temporarily closed"]),
                name="directory_service_listing_idx",
            ),
            # The ORUK API's modified_after: services changed since a time.
            models.Index(fields=["last_modified"], name="directory_service_changed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True)
                | Q(maximum_age__isnull=True)
                | Q(maximum_age__gte=F("minimum_age")),
                name="directory_service_age_range",
            ),
            models.UniqueConstraint(
                fields=["source_feed", "source_id"],
                condition=Q(source_feed__isnull=False),
                name="directory_service_unique_source",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields:  # a partial save is a change too
            kwargs["update_fields"] = {*update_fields, "last_modified"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:service", kwargs={"uuid": self.uuid})

    def clean(self):
        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.maximum_age < self.minimum_age
        ):
            raise ValidationError({"maximum_age": "Maximum age must not be below minimum age."})

    @property
    def is_stale(self):
        cutoff = timezone.localdate() - datetime.timedelta(days=STALE_AFTER_DAYS)
        return self.last_reviewed is None or self.last_reviewed < cutoff

    @property
    def age_range(self):
        low, high = self.minimum_age, self.maximum_age
        if low is None and high is None:
            return "All ages"
        if high is None:
            return f"{low} and over"
        if low is None or low == 0:
            return f"Up to {high}"
        return f"{low} to {high}"


class SearchWord(models.Model):
    """A word of the listed services' text, for correcting misspelt search words on
    PostgreSQL ("fod" -> "food": directory.search.spelling). directory.services.
    refresh_search_text adds the words of saved listings; rebuild_search_words recounts."""

    word = models.CharField(max_length=100, primary_key=True)
    # How many listed services use the word (exact after a rebuild; a word added since counts
    # 1): among equally similar words, the commoner is the likelier correction.
    services = models.PositiveIntegerField(default=1)

    # PostgreSQL also has a trigram GIN index on word (migration 0009).

    def __str__(self):
        return self.word


class BankHoliday(models.Model):
    """A bank holiday in England and Wales, from gov.uk's published dates (loaded by the
    load_bank_holidays command; officers add or correct them in the admin). "Open now" leaves
    out sessions that close on bank holidays when today is one."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.name} ({self.date:%-d %B %Y})"


# Times of day as the search states them (from, until): a session counts when any of it
# falls in the period.
TIMES_OF_DAY = {
    "morning": (datetime.time(0, 0), datetime.time(12, 0)),
    "afternoon": (datetime.time(12, 0), datetime.time(17, 0)),
    "evening": (datetime.time(17, 0), datetime.time.max),
}


class ScheduleQuerySet(models.QuerySet):
    def on_days(self, days):
        """Sessions on any of these weekdays (1 Monday to 7 Sunday)."""
        return self.filter(weekday__in=list(days))

    def within(self, start=None, end=None):
        """Sessions that open at or after `start` and close by `end` (ORUK's start_time and
        end_time)."""
        times = Q()
        if start:
            times &= Q(opens_at__gte=start)
        if end:
            times &= Q(closes_at__lte=end)
        return self.filter(times)

    def during(self, periods):
        """Sessions with any part in one of the TIMES_OF_DAY periods named. A session with no
        closing time counts from its opening time; one with no times counts in none."""
        times = Q(pk__in=[])
        for name in periods:
            start, end = TIMES_OF_DAY[name]
            times |= Q(opens_at__lt=end) & (
                Q(closes_at__gt=start) | Q(closes_at__isnull=True, opens_at__gte=start)
            )
        return self.filter(times)

    def open_at(self, moment: datetime.datetime):
        """Sessions running at `moment` (converted to the council's time zone), leaving out
        those that close on bank holidays when that day is one. One query (a subquery for
        the bank holiday)."""
        local = timezone.localtime(moment)
        today, now = local.date(), local.time()
        holiday = Exists(BankHoliday.objects.filter(date=today))
        return self.filter(
            Q(closed_on_bank_holidays=False) | ~holiday,
            weekday=local.isoweekday(),
            opens_at__lte=now,
            closes_at__gt=now,
        )


class Schedule(models.Model):
    """When a service runs: one weekday and times, optionally at one of its locations."""

    class Weekday(models.IntegerChoices):
        MONDAY = 1, "Monday"
        TUESDAY = 2, "Tuesday"
        WEDNESDAY = 3, "Wednesday"
        THURSDAY = 4, "Thursday"
        FRIDAY = 5, "Friday"
        SATURDAY = 6, "Saturday"
        SUNDAY = 7, "Sunday"

    # iCalendar BYDAY codes, as ORUK schedules use them.
    BYDAY = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.SET_NULL, related_name="schedules"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.CharField(
        max_length=200, blank=True, help_text="For example, term time only, or first Tuesday"
    )
    closed_on_bank_holidays = models.BooleanField(
        default=False, help_text="Not running on bank holidays in England and Wales"
    )

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["weekday", "opens_at"]
        indexes = [
            # The "day of the week" search filter: services with a schedule on that day.
            models.Index(fields=["weekday", "service"], name="directory_schedule_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=F("opens_at")),
                name="directory_schedule_closes_after_opens",
            ),
            models.CheckConstraint(
                condition=Q(weekday__isnull=False) | ~Q(description=""),
                name="directory_schedule_day_or_description",
            ),
        ]

    def __str__(self):
        parts = [self.get_weekday_display() if self.weekday else ""]
        if self.opens_at and self.closes_at:
            parts.append(f"{_time(self.opens_at)} to {_time(self.closes_at)}")
        elif self.opens_at:
            parts.append(f"from {_time(self.opens_at)}")
        if self.description:
            parts.append(f"({self.description})" if parts[0] else self.description)
        return " ".join(p for p in parts if p)

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "Closing time must be after opening time."})
        if not self.weekday and not self.description:
            raise ValidationError("Choose a day or describe when it runs.")


class ServiceLanguage(models.Model):
    """A language a service is delivered in, without an interpreter (HSDS/ORUK `language`)."""

    class Language(models.TextChoices):
        # ISO 639 codes (British Sign Language is "bfi"), in the order the admin lists them.
        ENGLISH = "en", "English"
        BRITISH_SIGN_LANGUAGE = "bfi", "British Sign Language"
        ARABIC = "ar", "Arabic"
        BENGALI = "bn", "Bengali"
        CHINESE = "zh", "Chinese"
        FRENCH = "fr", "French"
        GUJARATI = "gu", "Gujarati"
        LITHUANIAN = "lt", "Lithuanian"
        POLISH = "pl", "Polish"
        PORTUGUESE = "pt", "Portuguese"
        PUNJABI = "pa", "Punjabi"
        ROMANIAN = "ro", "Romanian"
        SOMALI = "so", "Somali"
        SPANISH = "es", "Spanish"
        TURKISH = "tr", "Turkish"
        UKRAINIAN = "uk", "Ukrainian"
        URDU = "ur", "Urdu"
        WELSH = "cy", "Welsh"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(max_length=3, choices=Language.choices)
    note = models.CharField(max_length=200, blank=True, help_text="For example, Tuesdays only")

    class Meta:
        ordering = ["language"]
        indexes = [
            # The "language" search filter: services with a chosen language.
            models.Index(fields=["language", "service"], name="directory_language_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "language"], name="directory_servicelanguage_once"
            ),
        ]

    def __str__(self):
        return self.get_language_display()


def _time(value):
    """GOV.UK style: 10am, 1:30pm, midday."""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{value.strftime(':%M') if value.minute else ''}{suffix}"
