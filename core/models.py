from django.db import models
from django.utils import timezone


class UsedFormToken(models.Model):
    """A one-time form token, used (core.onetime): the form it came in was saved once, and
    `outcome` says where its sender went then, for a repeat of the same post."""

    key = models.CharField(max_length=64, help_text="Hash of the form, the sender and the token")
    used_at = models.DateTimeField(default=timezone.now)
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key"], name="core_usedformtoken_unique_key"),
        ]
        indexes = [
            # core.onetime.claim deletes the tokens used before KEEP_USED_TOKENS.
            models.Index(fields=["used_at"], name="core_usedformtoken_used_idx"),
        ]

    def __str__(self):
        return f"form token used {self.used_at:%Y-%m-%d %H:%M}"
