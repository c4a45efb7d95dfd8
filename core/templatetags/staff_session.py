"""Who is signed in and when their session ends, for the header of staff pages."""

import datetime
import time

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import time_format

from core.middleware import SESSION_KEY

register = template.Library()


def _at(moment: datetime.datetime, today: datetime.date) -> str:
    local = timezone.localtime(moment)
    when = time_format(local, "H:i")
    if local.date() == today:
        return when
    if local.date() == today + datetime.timedelta(days=1):
        return f"{when} tomorrow"
    return f"{when} on {local:%-d %B}"


@register.simple_tag(takes_context=True)
def session_ends(context) -> str:
    """ "session ends at 14:05 if idle, 01:05 at the latest": the idle timeout (renewed on
    each request) and the absolute lifetime (core.middleware), whichever comes first."""
    request = context.get("request")
    if request is None or not hasattr(request, "session"):
        return ""
    now = timezone.now()
    today = timezone.localdate(now)
    signed_in_at = request.session.get(SESSION_KEY, int(time.time()))
    latest = datetime.datetime.fromtimestamp(
        signed_in_at + settings.SESSION_ABSOLUTE_AGE, tz=datetime.UTC
    )
    idle = now + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    if latest <= idle:
        return f"session ends at {_at(latest, today)}"
    return f"session ends at {_at(idle, today)} if idle, {_at(latest, today)} at the latest"
