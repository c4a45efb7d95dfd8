"""Target times for each pipeline stage, in working days, and the amber/red flags.

The sector's known failure is applicants never hearing back: an interest that waits in a stage
longer than its target is amber; longer than twice the target, red. Working days are Monday to
Friday except bank holidays (settings.BANK_HOLIDAYS: England's by default) and the council's
closure days (settings.CLOSURE_DAYS), so an interest sent just before Christmas is not red
when the organisation comes back.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from core.dates import is_working_day, weekdays_off

AMBER = "amber"
RED = "red"


def stage_targets() -> dict[str, int]:
    """{status: target working days} for the stages that wait on the organisation."""
    return dict(settings.VOLUNTEERING_STAGE_TARGETS)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, extra = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, extra + 1):
        if (start + datetime.timedelta(days=offset)).weekday() < 5:
            count += 1
    return count - weekdays_off(start, end)


def earliest_within(today: datetime.date, working_days: int) -> datetime.date:
    """The earliest date from which no more than `working_days` have passed by today."""
    day, waited = today, 0
    while True:
        step = 1 if is_working_day(day) else 0
        if waited + step > working_days:
            return day
        waited += step
        day -= datetime.timedelta(days=1)


def flag_cutoffs(today: datetime.date) -> dict[str, dict[str, datetime.date]]:
    """{status: {"amber": date, "red": date}}: entered the stage before the date -> flagged."""
    return {
        status: {AMBER: earliest_within(today, days), RED: earliest_within(today, days * 2)}
        for status, days in stage_targets().items()
    }


def flag(interest, today: datetime.date | None = None) -> str:
    """ "red", "amber" or "" for one interest."""
    target = stage_targets().get(interest.status)
    if target is None:
        return ""
    today = today or timezone.localdate()
    waited = working_days_between(timezone.localtime(interest.status_changed_at).date(), today)
    if waited > target * 2:
        return RED
    if waited > target:
        return AMBER
    return ""


def due_by(interest) -> datetime.date | None:
    """The last working day within the target for the interest's current stage."""
    target = stage_targets().get(interest.status)
    if target is None:
        return None
    day = timezone.localtime(interest.status_changed_at).date()
    added = 0
    while added < target:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            added += 1
    return day
