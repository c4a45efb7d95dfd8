"""The 2024 UK profile's service filters, as filters of the search layer (directory.search):
minimum_age, maximum_age, day, start_time, end_time, on /services and /service_at_locations.
Bad values are field errors, so the API answers a JSON 400."""

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from directory.models import Schedule

MAX_AGE = 150
DAYS = {code.lower(): number for number, code in Schedule.BYDAY.items()} | {
    label.lower(): number for number, label in Schedule.Weekday.choices
}
TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?(Z|[+-]\d{2}:\d{2})?$")
TIMES = ("day", "start_time", "end_time")  # one weekly time must meet all three


def age_errors(name):
    problem = f"'{name}' must be a whole number from 0 to {MAX_AGE}."
    return {"invalid": problem, "min_value": problem, "max_value": problem}


class MinimumAgeFilter(django_filters.Filter):
    """Services open to someone of this age or older: no maximum age, or one of at least it."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_AGE, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(Q(maximum_age__isnull=True) | Q(maximum_age__gte=value))


class MaximumAgeFilter(MinimumAgeFilter):
    """Services open to someone of this age or younger: no minimum age, or one of at most it."""

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=value))


class DaysField(forms.CharField):
    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return ()
        try:
            return tuple(sorted({DAYS[part.strip().lower()] for part in text.split(",")}))
        except KeyError:
            raise ValidationError(
                "'day' must be MO, TU, WE, TH, FR, SA or SU (or the day's name), "
                "several separated by commas."
            ) from None


class TimeOfDayField(forms.CharField):
    """HH:MM[:SS], UK time; with Z or an offset it is converted with today's UK offset
    (schedules are kept in UK time)."""

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        match = TIME_RE.match(text)
        problem = f"'{self.label}' must be a time like 09:30, 09:30Z or 09:30+01:00."
        if not match:
            raise ValidationError(problem)
        hour, minute, second, zone = match.groups()
        value = datetime.time(int(hour), int(minute), int(second or 0))
        if zone is None:
            return value
        try:
            offset = datetime.time.fromisoformat("00:00" + zone).tzinfo
        except ValueError:
            raise ValidationError(problem) from None
        aware = datetime.datetime.combine(timezone.localdate(), value, offset)
        return timezone.localtime(aware).time()


class WeeklyTimeFilter(django_filters.Filter):
    """day, start_time and end_time together: services with one weekly time on that day (any
    of the days) that opens at or after start_time and closes by end_time. The first of the
    three with a value applies them all, in one EXISTS."""

    def filter(self, qs, value):
        data = self.parent.form.cleaned_data
        given = [name for name in TIMES if data.get(name)]
        if not given or given[0] != self.field_name:
            return qs
        sessions = Schedule.objects.within(data.get("start_time"), data.get("end_time"))
        if data.get("day"):
            sessions = sessions.on_days(data["day"])
        return qs.filter(Exists(sessions.filter(service=OuterRef("pk"))))


class DayFilter(WeeklyTimeFilter):
    field_class = DaysField


class TimeFilter(WeeklyTimeFilter):
    field_class = TimeOfDayField


def check_ranges(data) -> str:
    """What is wrong with the filters taken together ("" when nothing)."""
    low, high = data.get("minimum_age"), data.get("maximum_age")
    if low is not None and high is not None and high < low:
        return "'maximum_age' must not be below 'minimum_age'."
    start, end = data.get("start_time"), data.get("end_time")
    if start and end and end <= start:
        return "'end_time' must be after 'start_time'."
    return ""
