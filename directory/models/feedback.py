"""'Was this page useful?' on service pages: what residents say about a listing, with
nothing about who said it."""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from directory.models.listings import Service

COMMENT_MAX_LENGTH = 1200


class ServiceFeedback(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="feedback")
    useful = models.BooleanField("useful")
    comment = models.TextField(blank=True, max_length=COMMENT_MAX_LENGTH)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "feedback on a listing"
        verbose_name_plural = "feedback on listings"
        indexes = [
            # The admin's yes/no counts beside each listing and its latest comments.
            models.Index(fields=["service", "created"], name="directory_feedback_svc_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("comment"), COMMENT_MAX_LENGTH),
                name="directory_servicefeedback_comment_length",
            ),
        ]

    def __str__(self):
        return f"{'Useful' if self.useful else 'Not useful'}: {self.service}"
