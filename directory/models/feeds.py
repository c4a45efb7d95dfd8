"""Other councils' ORUK feeds that we harvest, and where each harvested record came from."""

import datetime

from django.db import models
from django.utils import timezone

from core.validators import validate_web_address
from directory.models.listings import TaxonomyTerm


class FeedQuerySet(models.QuerySet):
    def due(self, now=None):
        """Active feeds whose last attempt is older than their interval (or never tried)."""
        now = now or timezone.now()
        due = models.Q(last_attempt_at__isnull=True)
        for frequency, days in HarvestFeed.DAYS.items():
            # An hour's slack so a daily cron at a slightly earlier time still harvests.
            cutoff = now - datetime.timedelta(days=days) + datetime.timedelta(hours=1)
            due |= models.Q(frequency=frequency, last_attempt_at__lt=cutoff)
        return self.filter(due, is_active=True)


class HarvestFeed(models.Model):
    """Another council's ORUK 3.0 API, harvested into our directory by `harvest_oruk`."""

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    DAYS = {Frequency.DAILY: 1, Frequency.WEEKLY: 7}

    name = models.CharField(
        max_length=100, unique=True, help_text='Shown to residents, e.g. "Thurrock Council"'
    )
    base_url = models.URLField(
        "base URL",
        validators=[validate_web_address],
        help_text="The ORUK API root, e.g. https://example.gov.uk/api/oruk",
    )
    frequency = models.CharField(
        "how often", max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    is_active = models.BooleanField("active", default=True)
    # When the last good harvest started: the next one asks modified_after this.
    last_success_at = models.DateTimeField("last successful harvest", null=True, blank=True)
    # When the last full pass (every service, so removals are seen) started.
    last_full_at = models.DateTimeField("last full harvest", null=True, blank=True)
    last_attempt_at = models.DateTimeField("last attempt", null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_summary = models.CharField("last result", max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "ORUK feed"
        verbose_name_plural = "ORUK feeds"

    def __str__(self):
        return self.name


class FeedTermMapping(models.Model):
    """One of the feed's taxonomy terms (by id or code) and the category it means here."""

    feed = models.ForeignKey(HarvestFeed, on_delete=models.CASCADE, related_name="term_mappings")
    their_term = models.CharField(
        "their term id or code", max_length=200, help_text="The feed's taxonomy_term id or code"
    )
    term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="+", verbose_name="our category"
    )

    class Meta:
        ordering = ["their_term"]
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "their_term"], name="directory_feedtermmapping_unique_term"
            ),
        ]

    def __str__(self):
        return f"{self.their_term} → {self.term}"


class HarvestedOrganisation(models.Model):
    """A feed's organisation id and the organisation it is here: two feeds may name the same
    charity, which stays one organisation (matched on charity or company number)."""

    feed = models.ForeignKey(HarvestFeed, on_delete=models.CASCADE, related_name="organisations")
    source_id = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.CASCADE, related_name="harvested_from"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feed", "source_id"], name="directory_harvestedorganisation_unique_source"
            ),
        ]

    def __str__(self):
        return f"{self.feed}: {self.source_id}"
