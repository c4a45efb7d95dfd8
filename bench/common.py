"""Shared set-up for the benchmark scripts: Django pointed at the benchmark database, timers,
and the figure / target / met table every script prints.

The database comes from BENCH_DATABASE_URL (default: the local PostgreSQL database cc_bench).
Production-like settings: DEBUG off, cached templates, hashed static files (collectstatic).
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cc_bench"
# The cache production uses (README, deployment): Redis, shared by the workers. Emptied when a
# script starts, so no script reads what another database's run left (BENCH_CACHE_URL).
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/14"


def database_url():
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def cache_url():
    return os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE_URL)


def clear_cache():
    url = cache_url()
    if url.startswith("redis"):
        import redis

        redis.Redis.from_url(url).flushdb()


def settings_environment(url=None):
    """Environment for a production-like Django process on the benchmark database."""
    url = url or database_url()
    if url.startswith("postgres") and "conn_max_age" not in url:
        url += ("&" if "?" in url else "?") + "conn_max_age=600"
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": url,
        "CACHE_URL": cache_url(),
        "LOG_LEVEL": "WARNING",
    }


def setup_django():
    """Django as a gunicorn worker runs it: set up through config.wsgi (which also freezes
    the start-up objects out of the garbage collector's way)."""
    for key, value in settings_environment().items():
        os.environ.setdefault(key, value)
    clear_cache()
    sys.path.insert(0, str(ROOT))
    import config.wsgi  # noqa: F401


def timed(function, repeat):
    """Milliseconds for each of `repeat` calls (after one warm-up call)."""
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def median(times):
    return statistics.median(times)


def p95(times):
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Report:
    """Rows of (figure, value, target, met) printed as a table; met is True, False or None."""

    def __init__(self, title):
        self.title = title
        self.rows = []

    def add(self, figure, value, target="", met=None):
        self.rows.append((figure, value, target, met))

    def note(self, text):
        self.rows.append((text, "", "", None))

    def print(self):
        widths = [
            max(len(str(r[i])) for r in [("figure", "value", "target"), *self.rows])
            for i in range(3)
        ]
        print(f"\n== {self.title}")
        header = ("figure", "value", "target", "met")
        print("  ".join(str(h).ljust(w) for h, w in zip(header, [*widths, 3], strict=True)))
        for figure, value, target, met in self.rows:
            flag = "" if met is None else ("yes" if met else "NO")
            print(
                "  ".join(
                    str(c).ljust(w)
                    for c, w in zip((figure, value, target, flag), [*widths, 3], strict=True)
                )
            )
        sys.stdout.flush()


def ms(value):
    return f"{value:,.1f} ms"
