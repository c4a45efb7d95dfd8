"""KPI performance: UK financial-year quarters, RAG ratings and overdue returns.

Plain functions (and one query expression) so the admin, exports and later dashboards all rate
the same way. Ratings use the Procurement Act 2023 KPI wording.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone


@dataclass(frozen=True, order=True)
class Quarter:
    """A UK financial-year quarter: Q1 is April to June. `year` is the year the FY starts."""

    year: int
    number: int

    def __post_init__(self):
        if self.number not in (1, 2, 3, 4):
            raise ValueError("A quarter is numbered 1 to 4")

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @property
    def start(self) -> dt.date:
        month = 3 * self.number + 1
        return dt.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @property
    def label(self) -> str:
        return f"{financial_year_label(self.year)} Q{self.number}"

    def __str__(self):
        return self.label


def aware_midnight(day: dt.date) -> dt.datetime:
    """The first moment of `day` in the site's time zone: for ranges of DateTimeFields."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def financial_year_label(year: int) -> str:
    """2026 -> "2026-27"."""
    return f"{year}-{(year + 1) % 100:02d}"


def quarters_between(start: dt.date, end: dt.date) -> list[Quarter]:
    """Every quarter that overlaps the dates, oldest first."""
    if end < start:
        return []
    quarter, last, found = Quarter.containing(start), Quarter.containing(end), []
    while quarter <= last:
        found.append(quarter)
        quarter = quarter.next()
    return found


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Rating(models.TextChoices):
    """Procurement Act 2023 KPI ratings, best first; `colour` gives the RAG colour."""

    GOOD = "good", "Good"
    APPROACHING = "approaching", "Approaching target"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"

    @property
    def colour(self) -> str:
        return {
            Rating.GOOD: "green",
            Rating.APPROACHING: "amber",
            Rating.REQUIRES_IMPROVEMENT: "amber",
            Rating.INADEQUATE: "red",
        }[self]


# Ratings best first, numbered, so the worst of several ratings is the largest number.
RATING_RANKS = {rating: rank for rank, rating in enumerate(Rating, start=1)}


def rag_thresholds() -> tuple[int, int]:
    """(approaching, requires improvement) as whole percentages of target, from settings."""
    approaching, improvement = settings.PARTNERS_RAG_THRESHOLDS
    return int(approaching), int(improvement)


def rate(actual: Decimal, target: Decimal, direction: str) -> Rating:
    """Rate a reported value against its target.

    Higher is better: Good at or above target, Approaching from 90% of target (the first
    threshold), Requires improvement from 75% (the second), else Inadequate. Lower is better
    mirrors it: Good at or below target, Approaching while 90% of the value is within target,
    and so on. Whole-number percentages keep the SQL version exact on every database.
    """
    approaching, improvement = rag_thresholds()
    actual, target = Decimal(actual), Decimal(target)
    if direction == Direction.LOWER:
        if actual <= target:
            return Rating.GOOD
        if actual * approaching <= target * 100:
            return Rating.APPROACHING
        if actual * improvement <= target * 100:
            return Rating.REQUIRES_IMPROVEMENT
        return Rating.INADEQUATE
    if actual >= target:
        return Rating.GOOD
    if actual * 100 >= target * approaching:
        return Rating.APPROACHING
    if actual * 100 >= target * improvement:
        return Rating.REQUIRES_IMPROVEMENT
    return Rating.INADEQUATE


def rating_expression(
    value="value", target="kpi__target", direction="kpi__direction", *, ranks=False
):
    """The same rating as `rate()`, as a SQL expression for annotate() and aggregation.

    With `ranks=True` the expression gives the rating's RATING_RANKS number instead (1 Good to
    4 Inadequate), so the worst of several ratings is a MAX()."""
    approaching, improvement = rag_thresholds()
    v, t = F(value), F(target)
    if ranks:
        output_field = models.IntegerField()
        result = {rating: Value(rank) for rating, rank in RATING_RANKS.items()}
    else:
        output_field = models.CharField()
        result = {rating: Value(rating.value) for rating in Rating}

    def rated(better_or_equal, scaled_value, scaled_target):
        def when(pct, rating):
            return When(better_or_equal(scaled_value(pct), scaled_target(pct)), then=result[rating])

        return Case(
            When(better_or_equal(v, t), then=result[Rating.GOOD]),
            when(approaching, Rating.APPROACHING),
            when(improvement, Rating.REQUIRES_IMPROVEMENT),
            default=result[Rating.INADEQUATE],
            output_field=output_field,
        )

    higher = rated(GreaterThanOrEqual, lambda pct: v * 100, lambda pct: t * pct)
    lower = rated(LessThanOrEqual, lambda pct: v * pct, lambda pct: t * 100)
    return Case(
        When(**{direction: Direction.LOWER}, then=lower),
        default=higher,
        output_field=output_field,
    )


def due_quarters(start: dt.date, end: dt.date, today: dt.date) -> list[Quarter]:
    """Quarters of an agreement whose return should be in by `today`.

    A return is due once its quarter has ended and the grace period
    (PARTNERS_RETURN_GRACE_DAYS) has passed.
    """
    return [q for q in quarters_between(start, end) if return_deadline(q) < today]


def missing_quarters(start, end, submitted: set[Quarter], today: dt.date) -> list[Quarter]:
    """Due quarters with no return: what is overdue."""
    return [q for q in due_quarters(start, end, today) if q not in submitted]


QUARTER_NUMBERS = ("1", "2", "3", "4")


def quarter_from(text: str) -> Quarter | None:
    """The quarter a query string names as "2026-2" (financial year, number); None for
    anything else, so a hand-typed address is a message, never a 500."""
    year, _, number = text.partition("-")
    if not (len(year) == 4 and year.isascii() and year.isdigit() and number in QUARTER_NUMBERS):
        return None
    # Dates beyond 9999 do not exist: the years an agreement can hold.
    return Quarter(int(year), int(number)) if 1900 <= int(year) <= 2999 else None


def return_deadline(quarter: Quarter) -> dt.date:
    """The last day to submit a quarter's return: PARTNERS_RETURN_GRACE_DAYS after it ends."""
    return quarter.end + dt.timedelta(days=settings.PARTNERS_RETURN_GRACE_DAYS)


def reminding(today: dt.date) -> Quarter | None:
    """The quarter whose returns partners are reminded about today: the last one, from
    PARTNERS_RETURN_REMINDER_DAYS before its deadline (and on once it has passed)."""
    quarter = Quarter.containing(today).previous()
    notice = dt.timedelta(days=settings.PARTNERS_RETURN_REMINDER_DAYS)
    return quarter if today >= return_deadline(quarter) - notice else None


class Measure(models.TextChoices):
    HUB_PEOPLE = "hub_people", "Hubs: people at sessions"
    HUB_NEW_PEOPLE = "hub_new_people", "Hubs: new people at sessions"
    HUB_SESSIONS = "hub_sessions", "Hubs: sessions held"
    HUB_REFERRALS = "hub_referrals", "Hubs: people referred to the partner"
    VOLUNTEER_HOURS = "volunteer_hours", "Volunteering: confirmed hours at the partner's roles"
    PLACEMENTS = "placements", "Volunteering: volunteers placed in the partner's roles"
    SERVICES_PUBLISHED = "services_published", "Directory: services the partner publishes"
    SERVICES_REVIEWED = (
        "services_reviewed",
        "Directory: % of the partner's services reviewed in the last 12 months",
    )


# GOV.UK tag colours for the ratings; the words carry the meaning, colour only helps.
RATING_TAGS = {
    Rating.GOOD: "govuk-tag--green",
    Rating.APPROACHING: "govuk-tag--yellow",
    Rating.REQUIRES_IMPROVEMENT: "govuk-tag--orange",
    Rating.INADEQUATE: "govuk-tag--red",
}
