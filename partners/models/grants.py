"""Grants awarded to organisations (published in the 360Giving format)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from partners.models.organisations import ForUserQuerySet, Organisation


class GrantQuerySet(ForUserQuerySet):
    pass


class Grant(models.Model):
    """Money awarded to an organisation (micro-grants, community grants)."""

    reference = models.CharField(
        max_length=40, help_text="Unique, for example MG-2026-001; used in the 360Giving identifier"
    )
    title = models.CharField(max_length=200)
    programme = models.CharField(max_length=200, help_text="For example, Community micro-grants")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name="recipient organisation",
    )
    amount = models.DecimalField(
        "amount awarded (£)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0.01, "The amount must be more than £0")],
    )
    award_date = models.DateField()
    purpose = models.TextField(help_text="What the grant is for (published as its description)")
    outcome = models.TextField(blank=True, help_text="What the grant achieved")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = GrantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-award_date", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                name="partners_grant_unique_reference",
                violation_error_message="Another grant already has this reference.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="partners_grant_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def clean(self):
        self.reference = (self.reference or "").strip()
