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
    import holidays  # imported when first needed: it takes 50 ms to load

    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, except the bank holidays of settings.BANK_HOLIDAYS (ENG, WLS, SCT or
    NIR: England, Wales, Scotland or Northern Ireland; empty for none)."""
    return day.weekday() < 5 and day not in _bank_holidays(settings.BANK_HOLIDAYS, day.year)


def weekday_bank_holidays(start: datetime.date, end: datetime.date) -> int:
    """Bank holidays on Monday to Friday after `start`, up to and including `end`."""
    return sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _bank_holidays(settings.BANK_HOLIDAYS, year)
        if start < day <= end and day.weekday() < 5
    )
