"""Writes for hubs: sessions with their referrals (the staff form, the CSV import and the
admin), activities (kept in step with their directory listings), hubs and who coordinates
them. Each service checks that the user may write at that hub."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.services import save_children
from hubs import publishing
from hubs.models import (
    Activity,
    Engagement,
    Hub,
    Referral,
    may_see_hub,
    visible_hub_ids,
)


def _check_hub(user, record) -> None:
    """PermissionDenied unless `user` may write at the record's hub, and, for a record
    already saved, at the hub it is saved at (so no one moves another hub's record)."""
    hub_ids = {record.hub_id}
    if not record._state.adding:
        saved = type(record)._base_manager.filter(pk=record.pk).values_list("hub_id", flat=True)
        hub_ids.update(saved)
    if not all(may_see_hub(user, hub_id) for hub_id in hub_ids):
        raise PermissionDenied("Not one of your hubs")


def _check_officer(user) -> None:
    if visible_hub_ids(user) is not None:
        raise PermissionDenied("Only officers change hubs and who coordinates them")


@transaction.atomic
def record_engagement(*, user, engagement: Engagement, referrals=()) -> Engagement:
    """Save one session's headcount (new or changed) and any new referrals, as `user`, at
    one of their hubs; a new session is recorded as created by `user`.

    `referrals` is a list of (organisation, count). Raises ValidationError on bad figures and
    PermissionDenied for a hub the user does not coordinate.
    """
    _check_hub(user, engagement)
    if engagement._state.adding:
        engagement.created_by = user
    engagement.full_clean(exclude=["created_by"])  # the signed-in user, not input
    engagement.save()
    for organisation, count in referrals:
        referral = Referral(engagement=engagement, organisation=organisation, count=count)
        referral.full_clean()
        referral.save()
    return engagement


# Long enough to notice a wrong tap while still at the door; after that a session may already
# be in a report or a KPI return, so it is corrected in the admin, which keeps its history.
UNDO_WINDOW = datetime.timedelta(minutes=15)


def may_undo(*, user, engagement: Engagement, now=None) -> bool:
    """Whether `user` saved this session themselves within the last UNDO_WINDOW."""
    now = now or timezone.now()
    return engagement.created_by_id == user.pk and engagement.created >= now - UNDO_WINDOW


@transaction.atomic
def undo_engagement(*, user, engagement: Engagement) -> None:
    """Delete a session (with its referrals) that `user` has just saved at one of their hubs.

    Raises PermissionDenied at another hub, ValidationError for someone else's session or one
    saved more than UNDO_WINDOW ago."""
    _check_hub(user, engagement)
    if not may_undo(user=user, engagement=engagement):
        minutes = int(UNDO_WINDOW.total_seconds() // 60)
        raise ValidationError(
            f"Only a session you saved in the last {minutes} minutes can be undone. "
            "Correct or delete it in the staff admin instead."
        )
    engagement.delete()


@transaction.atomic
def save_referrals(*, user, engagement: Engagement, referrals, deleted=()) -> None:
    """Save a session's referrals as edited (the admin's inline) and delete `deleted`.

    Raises PermissionDenied for a session at a hub the user does not coordinate, and for a
    referral that belongs to another session."""
    _check_hub(user, engagement)
    save_children(
        parent=engagement,
        field="engagement",
        children=referrals,
        deleted=deleted,
        refusal="Not a referral from this session",
    )


@transaction.atomic
def import_engagements(*, user, forms) -> int:
    """Save every already-validated row, or none: one transaction for the whole file."""
    for form in forms:
        record_engagement(
            user=user, engagement=form.save(commit=False), referrals=form.referral_list()
        )
    return len(forms)


@transaction.atomic
def save_activity(*, user, activity: Activity) -> Activity:
    """Save an activity at one of the user's hubs and update its directory listing.
    Raises PermissionDenied for another hub's activity, or for moving one there."""
    _check_hub(user, activity)
    activity.full_clean()
    activity.save()
    publishing.publish_activity(activity=activity)
    return activity


@transaction.atomic
def delete_activities(*, user, activities) -> int:
    """Withdraw these activities' directory listings and delete them; returns how many.
    Raises PermissionDenied (and deletes nothing) if any is at another hub."""
    activities = list(activities)
    for activity in activities:
        _check_hub(user, activity)
    publishing.withdraw_activities(activities=activities)
    Activity.objects.filter(pk__in=[activity.pk for activity in activities]).delete()
    return len(activities)


@transaction.atomic
def save_hub(*, user, hub: Hub) -> Hub:
    """Save a hub (officers only) and update what the directory lists for it: opening or
    closing a hub, or a new lead partner, changes its activities' listings."""
    _check_officer(user)
    hub.full_clean()
    hub.save()
    publishing.publish_hub(hub=hub)
    return hub


@transaction.atomic
def save_coordinators(*, user, hub: Hub, memberships, deleted=()) -> None:
    """Save who coordinates a hub as edited (officers only) and remove `deleted`."""
    _check_officer(user)
    save_children(
        parent=hub,
        field="hub",
        children=memberships,
        deleted=deleted,
        refusal="Not a coordinator of this hub",
    )
