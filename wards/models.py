"""Figures and boundaries for each ward (a directory Area of kind ward), from public data.

Officers upload them as files (wards.uploads reads them, wards.services saves them): the
population, the Index of Multiple Deprivation and any other indicator, each with its source
and year, and the ward boundaries as GeoJSON.
"""

from django.db import models
from django.db.models import Q

from directory.models import Area


class IndicatorQuerySet(models.QuerySet):
    def latest_of(self, kind):
        """The most recent indicator of this kind (the population the matrix divides by)."""
        return self.filter(kind=kind).order_by("-year", "-pk").first()


class Indicator(models.Model):
    """Something measured for every ward: population, deprivation, loneliness, child poverty."""

    class Kind(models.TextChoices):
        POPULATION = "population", "Population"
        IMD_DECILE = "imd_decile", "IMD decile (1 is the most deprived 10%)"
        IMD_RANK = "imd_rank", "IMD rank (1 is the most deprived)"
        OTHER = "other", "Another indicator"

    name = models.CharField(
        max_length=100, help_text="For example, Children in low-income families"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.OTHER)
    source = models.CharField(max_length=300, help_text="Who published the figures, and where")
    year = models.PositiveSmallIntegerField(help_text="The year the figures describe")
    # For other indicators: whether a higher figure means more need (loneliness) or less.
    higher_is_need = models.BooleanField("a higher figure means more need", default=True)
    # Demo figures are invented: every page that shows them says so.
    made_up = models.BooleanField("made-up figures (demo)", default=False)
    # Given per LSOA and averaged to wards, weighted by each LSOA's population.
    from_lsoas = models.BooleanField("aggregated from LSOAs", default=False, editable=False)
    uploaded_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name", "year"], name="wards_indicator_unique_kind_name_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1800, year__lte=2200), name="wards_indicator_year_sensible"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"


class WardFigure(models.Model):
    """One indicator's value for one ward."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="figures")
    ward = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="ward_figures")
    value = models.DecimalField(max_digits=14, decimal_places=3)

    class Meta:
        ordering = ["indicator", "ward"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "ward"], name="wards_wardfigure_unique_indicator_ward"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.ward} {self.value}"


class WardBoundary(models.Model):
    """A ward's outline: a GeoJSON Polygon or MultiPolygon geometry (longitude, latitude)."""

    ward = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField()
    source = models.CharField(max_length=300)
    year = models.PositiveSmallIntegerField()
    made_up = models.BooleanField("made-up boundary (demo)", default=False)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ward"]
        verbose_name_plural = "ward boundaries"

    def __str__(self):
        return f"Boundary of {self.ward}"
