"""Agreements with organisations: the policy outcomes they serve, their objectives, and
their KPIs with the quarterly returns reported against them."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, IntegerField, Max, OuterRef, Q, Subquery
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partners.models.organisations import ForUserQuerySet, Organisation
from partners.performance import (
    RATING_RANKS,
    Direction,
    Measure,
    Quarter,
    Rating,
    missing_quarters,
    rate,
    rating_expression,
)


class PolicyOutcome(models.Model):
    """A council policy outcome under a focus area; agreement objectives link to these."""

    focus_area = models.CharField(max_length=100, help_text="For example, Connected Neighbourhoods")
    name = models.CharField("outcome", max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists")

    class Meta:
        ordering = ["position", "focus_area", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["focus_area", "name"], name="partners_policyoutcome_unique_name"
            ),
        ]

    def __str__(self):
        return f"{self.focus_area}: {self.name}"


class AgreementQuerySet(ForUserQuerySet):
    def live(self):
        """Agreements whose KPI returns are expected."""
        return self.filter(status__in=[Agreement.Status.ACTIVE, Agreement.Status.UNDER_REVIEW])

    def due_soon(self, today: dt.date, days: int | None = None):
        """Live or draft agreements ending, or due for review, within `days` of today."""
        days = settings.PARTNERS_DUE_SOON_DAYS if days is None else days
        until = today + dt.timedelta(days=days)
        return self.exclude(status=Agreement.Status.ENDED).filter(
            Q(end_date__range=(today, until)) | Q(review_date__range=(today, until))
        )

    def with_overdue_returns(self, today: dt.date):
        """Agreements with an overdue KPI return (KpiQuerySet.overdue_returns)."""
        pairs = Kpi.objects.filter(agreement__in=self).overdue_returns(today)
        return self.filter(pk__in={kpi.agreement_id for kpi, _ in pairs})

    def with_rag(self):
        """Annotate `rag_rank`: the worst rating among the latest return of each of the
        agreement's KPIs, as a RATING_RANKS value (1 Good .. 4 Inadequate), or None when no
        KPI has a return yet. One correlated subquery: groupable and filterable in SQL, so the
        dashboard's counts and the admin's RAG filter select exactly the same agreements."""
        worst = (
            KpiReturn.objects.latest_per_kpi()
            .filter(kpi__agreement=OuterRef("pk"))
            .annotate(rank=rating_expression(ranks=True))
            .order_by()
            .values("kpi__agreement")
            .annotate(worst=Max("rank"))
            .values("worst")
        )
        return self.annotate(rag_rank=Subquery(worst, output_field=IntegerField()))

    def rated(self, rating: str | None):
        """Live agreements whose RAG (see with_rag) is this Rating value; None: no returns yet."""
        live = self.live().with_rag()
        if rating is None:
            return live.filter(rag_rank__isnull=True)
        return live.filter(rag_rank=RATING_RANKS[Rating(rating)])


class Agreement(models.Model):
    """A service level agreement (SLA) or partnership agreement with one organisation."""

    class Kind(models.TextChoices):
        SLA = "sla", "Service level agreement (SLA)"
        PARTNERSHIP = "partnership", "Partnership agreement"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        UNDER_REVIEW = "under_review", "Under review"
        ENDED = "ended", "Ended"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="agreements"
    )
    reference = models.CharField(
        max_length=40, help_text="The council's unique reference, for example SLA-2026-001"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SLA)
    description = models.TextField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField(help_text="The same as or after the start date")
    annual_value = models.DecimalField(
        "annual value (£)",
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0, "The annual value cannot be negative")],
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_agreements",
        verbose_name="council lead officer",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    review_date = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = AgreementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                name="partners_agreement_unique_reference",
                violation_error_message="Another agreement already has this reference.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="partners_agreement_end_after_start",
                violation_error_message="The end date must be the same as or after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(annual_value__gte=0),
                name="partners_agreement_annual_value_not_negative",
                violation_error_message="The annual value cannot be negative.",
            ),
        ]
        indexes = [
            # Agreements ending soon: due_soon() and the admin filter.
            models.Index(fields=["status", "end_date"], name="partners_agreement_end_idx"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def clean(self):
        self.reference = (self.reference or "").strip()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": "The end date must be the same as or after the start date"}
            )

    def covers(self, quarter: Quarter) -> bool:
        """Whether the agreement runs for any part of the quarter."""
        return self.start_date <= quarter.end and self.end_date >= quarter.start

    @property
    def quarters(self) -> list[Quarter]:
        from partners.performance import quarters_between

        return quarters_between(self.start_date, self.end_date)


class AgreementChildQuerySet(ForUserQuerySet):
    organisation_path = "agreement__organisation"


class KpiQuerySet(AgreementChildQuerySet):
    """Which KPI returns are owed: the one definition of "waiting" and "overdue" that the
    dashboard, the overdue returns list, the KPI list's filter, the partner's returns page and
    the CSV export all count with. A return is owed for each quarter a KPI of a live agreement
    covers (from its first day); it is overdue once the quarter's deadline (its end plus
    PARTNERS_RETURN_GRACE_DAYS) has passed without one."""

    def live(self):
        return self.filter(agreement__in=Agreement.objects.live())

    def waiting_for(self, quarter: Quarter):
        """KPIs of live agreements that cover `quarter` and have no return for it yet: one
        query. Once the quarter's deadline has passed, exactly its overdue returns."""
        returned = KpiReturn.objects.filter(
            kpi=OuterRef("pk"), financial_year=quarter.year, quarter=quarter.number
        )
        return (
            self.live()
            .filter(agreement__start_date__lte=quarter.end, agreement__end_date__gte=quarter.start)
            .filter(Q(reported_from__isnull=True) | Q(reported_from__lte=quarter.end))
            .filter(~Exists(returned))
            .order_by("agreement__organisation__name", "agreement__reference", "name")
        )

    def overdue_returns(self, today: dt.date) -> list[tuple["Kpi", Quarter]]:
        """(KPI, quarter) for every overdue return of these KPIs, by agreement and KPI, oldest
        quarter first: two queries, whatever the number of quarters."""
        kpis = list(
            self.live()
            .select_related("agreement__organisation")
            .order_by("agreement__reference", "name")
        )
        submitted = defaultdict(set)
        rows = KpiReturn.objects.filter(kpi__in=self.live().values("pk")).values_list(
            "kpi_id", "financial_year", "quarter"
        )
        for kpi_id, year, number in rows:
            submitted[kpi_id].add(Quarter(year, number))
        return [
            (kpi, quarter)
            for kpi in kpis
            for quarter in missing_quarters(
                kpi.first_day, kpi.agreement.end_date, submitted[kpi.pk], today
            )
        ]

    def with_overdue_returns(self, today: dt.date):
        """The KPIs with at least one overdue return."""
        return self.filter(pk__in={kpi.pk for kpi, _ in self.overdue_returns(today)})


class Objective(models.Model):
    """What an agreement sets out to achieve, tied to a council policy outcome."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="objectives")
    outcome = models.ForeignKey(PolicyOutcome, on_delete=models.PROTECT, related_name="objectives")
    description = models.TextField(help_text="What the partner will do towards the outcome")

    objects = AgreementChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "outcome__position", "pk"]

    def __str__(self):
        return f"{self.agreement.reference}: {self.outcome.name}"


class Kpi(models.Model):
    """A key performance indicator on an agreement, reported quarterly."""

    Direction = Direction
    Measure = Measure

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=30, help_text="For example people, sessions, %, hours")
    target = models.DecimalField(
        "target per quarter",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0, "The target cannot be negative")],
    )
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    measure = models.CharField(
        "measured from the system's records",
        max_length=30,
        choices=Measure.choices,
        blank=True,
        help_text="Link the KPI to a figure the system records, and each quarter's return is "
        "pre-filled with it: engagements at the hubs the partner leads and the activities it "
        "runs, referrals to it, its volunteers' confirmed hours and placements, its directory "
        "listings. Leave empty for figures the partner reports.",
    )
    reported_from = models.DateField(
        null=True,
        blank=True,
        help_text="Returns are due from the quarter that holds this date. Leave empty to "
        "report from the start of the agreement; set it for a KPI added part-way through, "
        "for example by a variation.",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = KpiQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "KPI"
        verbose_name_plural = "KPIs"
        ordering = ["agreement", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "name"],
                name="partners_kpi_unique_name",
                violation_error_message="This agreement already has a KPI with this name.",
            ),
            models.CheckConstraint(
                condition=Q(target__gte=0), name="partners_kpi_target_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.agreement.reference}: {self.name}"

    def clean(self):
        agreement = self.agreement if self.agreement_id else None
        if (
            agreement
            and self.reported_from
            and not agreement.start_date <= self.reported_from <= agreement.end_date
        ):
            raise ValidationError(
                {
                    "reported_from": "Choose a date within the agreement, which runs from "
                    f"{agreement.start_date:%-d %B %Y} to {agreement.end_date:%-d %B %Y}"
                }
            )

    @property
    def first_day(self) -> dt.date:
        """The first day this KPI is reported for: the agreement's start, or a later
        `reported_from`."""
        start = self.agreement.start_date
        return max(start, self.reported_from) if self.reported_from else start

    def covers(self, quarter: Quarter) -> bool:
        """Whether this KPI has a return for `quarter`: in the agreement, from its first day."""
        return self.agreement.covers(quarter) and quarter.end >= self.first_day


class KpiReturnQuerySet(ForUserQuerySet):
    organisation_path = "kpi__agreement__organisation"

    def with_rating(self):
        """Annotate `rating_value` (a Rating value) computed in the database."""
        return self.annotate(rating_value=rating_expression())

    def latest_per_kpi(self):
        """Each KPI's most recent return (by financial year and quarter)."""
        later = KpiReturn.objects.filter(kpi=OuterRef("kpi")).filter(
            Q(financial_year__gt=OuterRef("financial_year"))
            | Q(financial_year=OuterRef("financial_year"), quarter__gt=OuterRef("quarter"))
        )
        return self.filter(~Exists(later))


class KpiReturn(models.Model):
    """The value a partner reports for one KPI in one financial-year quarter."""

    kpi = models.ForeignKey(
        Kpi, on_delete=models.CASCADE, related_name="returns", verbose_name="KPI"
    )
    financial_year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts: 2026 for 2026-27"
    )
    quarter = models.PositiveSmallIntegerField(
        choices=[
            (1, "Q1 (April to June)"),
            (2, "Q2 (July to September)"),
            (3, "Q3 (October to December)"),
            (4, "Q4 (January to March)"),
        ]
    )
    value = models.DecimalField(
        "value", max_digits=12, decimal_places=2, help_text="The confirmed figure"
    )
    computed_value = models.DecimalField(
        "figure from the system's records",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text="For a KPI linked to a measure: what the records showed when the return was "
        "saved. Kept beside the confirmed value.",
    )
    computed_note = models.TextField("how the figure was computed", blank=True, editable=False)
    commentary = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpi_returns",
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    objects = KpiReturnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "KPI return"
        ordering = ["kpi", "-financial_year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "financial_year", "quarter"],
                name="partners_kpireturn_one_per_quarter",
                violation_error_message="A return for this KPI and quarter already exists.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="partners_kpireturn_valid_quarter"
            ),
        ]
        indexes = [
            # Latest returns across all KPIs (exports, dashboards).
            models.Index(
                fields=["financial_year", "quarter"], name="partners_kpireturn_period_idx"
            ),
        ]

    def __str__(self):
        if self.quarter not in (1, 2, 3, 4) or not self.financial_year:
            return f"{self.kpi_id and self.kpi}, no quarter"
        return f"{self.kpi}, {self.period.label}"

    def clean(self):
        if not (self.financial_year and self.quarter in (1, 2, 3, 4)):
            return
        period = self.period
        if period.start > timezone.localdate():
            raise ValidationError("You cannot record a return for a quarter that has not started")
        agreement = self.kpi.agreement if self.kpi_id else None
        if agreement and not agreement.covers(period):
            raise ValidationError(
                f"{period.label} is outside the agreement, which runs from "
                f"{agreement.start_date:%-d %B %Y} to {agreement.end_date:%-d %B %Y}"
            )

    @property
    def period(self) -> Quarter:
        return Quarter(self.financial_year, self.quarter)

    @property
    def rating(self):
        return rate(self.value, self.kpi.target, self.kpi.direction)

    @property
    def corrected(self) -> bool:
        """The confirmed value differs from the figure the system computed."""
        return self.computed_value is not None and self.value != self.computed_value


def overdue_returns(*, today: dt.date, agreements=None) -> list[tuple["Kpi", Quarter]]:
    """(KPI, quarter) pairs whose return is overdue, for these (live) agreements: see
    KpiQuerySet.overdue_returns."""
    kpis = Kpi.objects.all() if agreements is None else Kpi.objects.filter(agreement__in=agreements)
    return kpis.overdue_returns(today)


def waiting_returns(agreements, quarter: Quarter):
    """KPIs of these (live) agreements still waiting for `quarter`'s return: see
    KpiQuerySet.waiting_for."""
    return Kpi.objects.filter(agreement__in=agreements).waiting_for(quarter)
