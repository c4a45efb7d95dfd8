"""System checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Rate limits, form tokens and cached pages count in the cache: per process, each worker
    keeps its own count (four workers let four times the limit through)."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            f"The default cache ({backend.rsplit('.', 1)[-1]}) is kept per process.",
            hint="Set CACHE_URL to a cache every worker shares, e.g. redis://127.0.0.1:6379/1: "
            "rate limits, double-submit protection and cached pages are wrong without one.",
            id="config.W001",
        )
    ]
