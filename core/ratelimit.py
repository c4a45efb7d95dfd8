"""Fixed-window rate limits counted in the cache, so all workers share one count.

Why ours and not a library: django-ratelimit's decorator API fits views, but we also need the
same limit inside form validation (to show a GOV.UK error message rather than a bare 429) and
in the API's JSON errors; the whole mechanism is a cache `add` + `incr`.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """'10/h' -> 10 requests an hour."""
        count, _, period = text.partition("/")
        return cls(int(count), PERIODS[period])


def client_ip(request) -> str:
    """The caller's IP: REMOTE_ADDR, or X-Forwarded-For behind NUM_PROXIES trusted proxies."""
    if settings.NUM_PROXIES:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= settings.NUM_PROXIES:
            return forwarded[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def hit(request, scope: str, key: str | None = None) -> bool:
    """Count one request for this client in `scope`; False once it is over the limit.

    Counted per client IP, or per `key` when given (e.g. a hash of an email address).
    """
    rate = Rate.parse(settings.RATE_LIMITS[scope])
    window = int(time.time() // rate.seconds)
    key = f"ratelimit:{scope}:{client_ip(request) if key is None else key}:{window}"
    # add() sets the key only if absent, so concurrent workers never reset each other's count.
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=rate.seconds + 1)
        count = 1
    return count <= rate.count


class RateLimitedFormMixin:
    """For public FormViews: past the limit, a POST re-shows the form (nothing is lost)
    with a clear error and status 429, and is not processed."""

    rate_limit_scope = "public_form"
    rate_limit_message = (
        "You have sent too many forms in a short time. Wait an hour and try again, "
        "or email us instead."
    )

    def post(self, request, *args, **kwargs):
        if not hit(request, self.rate_limit_scope):
            form = self.get_form()
            form.is_valid()  # keep field errors alongside the limit message
            form.add_error(None, self.rate_limit_message)
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)
