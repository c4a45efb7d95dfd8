import datetime

from django.db.models import F


def referrals_out_of_step():
    """Referrals whose copied hub or date differs from their session's (there should be none)."""
    from hubs.models import Referral

    return Referral.objects.exclude(hub=F("engagement__hub"), date=F("engagement__date"))


def date_parts(name, value):
    """The GOV.UK date input's three boxes for an ISO date (or any text, kept as the day)."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return {f"{name}_day": value, f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}
