"""Listings suggested, and changes reported, by the public."""

from django.db import models

from core import references
from core.validators import validate_web_address
from directory.models.listings import Service, TaxonomyTerm
from directory.postcodes import validate_postcode


def new_reference() -> str:
    """A suggestion's reference (migrations name this function as the field's default)."""
    return references.new_reference("SUG")


class Suggestion(models.Model):
    """A listing suggested, or a change reported, by the public; waits for an officer."""

    class Kind(models.TextChoices):
        NEW = "new", "New listing"
        CHANGE = "change", "Change to a listing"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    reference = models.CharField(max_length=10, unique=True, default=new_reference, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NEW)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        help_text="The listing a change is reported for, or the one created on approval",
    )
    # What was suggested.
    name = models.CharField("name of the service or group", max_length=200)
    organisation_name = models.CharField("organisation that runs it", max_length=200, blank=True)
    organisation = models.ForeignKey(
        "partners.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Officers: the organisation a new listing belongs to",
    )
    description = models.TextField("what it offers", blank=True)
    details = models.TextField("what needs to change", blank=True)
    when = models.CharField("when it runs", max_length=300, blank=True)
    address = models.CharField("where it runs", max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])
    url = models.URLField("website", blank=True, validators=[validate_web_address])
    email = models.EmailField("service email", blank=True)
    phone = models.CharField("service phone", max_length=30, blank=True)
    cost = models.CharField(max_length=10, choices=Service.Cost.choices, blank=True)
    access = models.CharField(
        "how to access", max_length=10, choices=Service.Access.choices, blank=True
    )
    categories = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="+")
    # Who sent it (optional; deleted with the suggestion).
    submitter_name = models.CharField("your name", max_length=100, blank=True)
    submitter_email = models.EmailField("your email", blank=True)
    # The decision.
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        indexes = [
            # The moderation queue: pending suggestions, oldest first.
            models.Index(fields=["status", "created"], name="directory_suggestion_queue_idx"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.name}"
