"""Database functions shared by the reports."""

from django.db.models.functions import TruncMonth


class MonthStart(TruncMonth):
    """The first day of a date's month, as a date (TruncMonth of a DateField).

    On PostgreSQL the date is cast to a plain timestamp first. Django's DATE_TRUNC would take
    it as a timestamp with time zone, converting every row in the session's time zone, a
    large share of a report's time. Python turns the result back into a date.
    """

    def as_postgresql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        return f"DATE_TRUNC('month', ({sql})::timestamp)", params
