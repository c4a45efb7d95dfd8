"""Writes that span models: recording a session with its referrals, and the CSV import."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from hubs.models import Engagement, Referral, may_see_hub


@transaction.atomic
def record_engagement(*, user, engagement: Engagement, referrals) -> Engagement:
    """Save one session's headcount and its referrals, as `user`, at one of their hubs.

    `referrals` is a list of (organisation, count). Raises ValidationError on bad figures and
    PermissionDenied for a hub the user does not coordinate.
    """
    if not may_see_hub(user, engagement.hub_id):
        raise PermissionDenied("Not one of your hubs")
    engagement.created_by = user
    engagement.full_clean(exclude=["created_by"])  # the signed-in user, not input
    engagement.save()
    for organisation, count in referrals:
        referral = Referral(engagement=engagement, organisation=organisation, count=count)
        referral.full_clean()
        referral.save()
    return engagement


@transaction.atomic
def import_engagements(*, user, forms) -> int:
    """Save every already-validated row, or none: one transaction for the whole file."""
    for form in forms:
        record_engagement(
            user=user, engagement=form.save(commit=False), referrals=form.referral_list()
        )
    return len(forms)
