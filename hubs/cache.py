"""Engagement figures for months that have ended, cached until an engagement changes.

The dashboard adds up twelve months of sessions for every hub; at county scale that is the
slowest thing on the page, and past months rarely change. Saving or deleting an engagement
(the forms, the admin, the CSV import) starts a new generation once its transaction commits;
bulk loads (demo data, generate_scale_data) call invalidate() themselves, and anything else
shows within TTL seconds.
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from core.generations import Generation

ENGAGEMENTS = Generation("hubs:engagements")
TTL = 600


def invalidate(**kwargs) -> None:
    """A new generation now, and again when the transaction commits (Generation.changed)."""
    ENGAGEMENTS.changed()


def cached(name: str, compute):
    """compute(), kept under `name` until the engagements change."""
    return cache.get_or_set(ENGAGEMENTS.key(name), compute, TTL)


def connect_signals() -> None:
    from hubs.models import Engagement

    post_save.connect(invalidate, sender=Engagement, dispatch_uid="engagement-cache-save")
    post_delete.connect(invalidate, sender=Engagement, dispatch_uid="engagement-cache-delete")
