"""Date arithmetic shared by the apps."""

import calendar
import datetime
from functools import lru_cache

from django.conf import settings


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same day and time `months` calendar months earlier (the month's last day when it
    is shorter): 31 March less one month is 28 or 29 February."""
    years, month_index = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + years, month_index + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@lru_cache(maxsize=32)
def _bank_holidays(region: str, year: int) -> frozenset[datetime.date]:
    if not region:
        return frozenset()
    import holidays  # imported when first needed: it is slow to load

    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))


@lru_cache(maxsize=32)
def _closed(region: str, closures: tuple[datetime.date, ...], year: int) -> frozenset:
    return _bank_holidays(region, year) | {day for day in closures if day.year == year}


def _days_off(year: int) -> frozenset[datetime.date]:
    """The bank holidays of settings.BANK_HOLIDAYS and the settings.CLOSURE_DAYS in `year`."""
    return _closed(settings.BANK_HOLIDAYS, settings.CLOSURE_DAYS, year)


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, except the bank holidays of settings.BANK_HOLIDAYS (ENG, WLS, SCT or
    NIR: England, Wales, Scotland or Northern Ireland; empty for none) and the days the
    council closes (settings.CLOSURE_DAYS)."""
    return day.weekday() < 5 and day not in _days_off(day.year)


def weekdays_off(start: datetime.date, end: datetime.date) -> int:
    """Bank holidays and closure days on Monday to Friday after `start`, up to and including
    `end`."""
    return sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _days_off(year)
        if start < day <= end and day.weekday() < 5
    )


def parse_closure_days(text: str) -> tuple[datetime.date, ...]:
    """CLOSURE_DAYS: dates (2026-12-29) and ranges (2026-12-29..2026-12-31), comma-separated,
    as sorted dates. ValueError, saying which part, for anything else."""
    days = set()
    for part in (part.strip() for part in text.split(",")):
        if not part:
            continue
        first, _, last = part.partition("..")
        try:
            start = datetime.date.fromisoformat(first.strip())
            end = datetime.date.fromisoformat(last.strip()) if last else start
        except ValueError:
            raise ValueError(
                f"{part!r} is not a date (2026-12-29) or a range (2026-12-29..2026-12-31)"
            ) from None
        if not 0 <= (end - start).days <= 366:
            raise ValueError(f"{part!r}: a range runs forwards, for a year at most")
        days.update(start + datetime.timedelta(days=n) for n in range((end - start).days + 1))
    return tuple(sorted(days))
