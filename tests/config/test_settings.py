"""Production settings: secure by default, `check --deploy` clean with the documented variables."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k3y-for-the-deploy-check-only-9f8e7d6c5b4a3z2y1x0w-vutsrqponmlkjih",
    "ALLOWED_HOSTS": "communities.example.gov.uk",
    "DATABASE_URL": "sqlite:///:memory:",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}


def manage(*args, env):
    # Only what production would have: none of the test run's own variables.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and not k.startswith("DJANGO_")
    }
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_documented_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_an_unknown_bank_holiday_region_is_refused_with_the_choices():
    result = manage("check", env={**PRODUCTION_ENV, "BANK_HOLIDAYS": "england"})

    assert result.returncode != 0
    assert "BANK_HOLIDAYS must be ENG, WLS, SCT, NIR or empty" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def database_options(**env):
    code = "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS'))"
    result = manage(
        "shell", "-c", code, env={**PRODUCTION_ENV, "DATABASE_URL": "postgres://db/cc", **env}
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_postgresql_connections_get_the_settings_search_was_measured_with():
    options = database_options()
    for setting in ("random_page_cost=1.1", "work_mem=16MB", "jit=off"):
        assert f"-c {setting}" in options
    assert "-c work_mem=64MB" in database_options(POSTGRES_SETTINGS="work_mem=64MB")
    assert "-c" not in database_options(POSTGRES_SETTINGS="")


@pytest.mark.parametrize("value", ["lots", "work_mem=16MB -c fsync=off", "work_mem=16 MB"])
def test_postgres_settings_that_are_not_name_value_pairs_stop_the_app_from_starting(value):
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://db/cc", "POSTGRES_SETTINGS": value}

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "POSTGRES_SETTINGS: name=value pairs" in result.stderr


def test_the_wsgi_entry_point_keeps_start_up_objects_out_of_full_collections():
    code = "import gc, config.wsgi; print(gc.get_freeze_count())"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000  # Django and the apps, frozen at start-up


def test_closure_days_that_are_not_dates_stop_start_up_saying_so():
    result = manage("check", env={**PRODUCTION_ENV, "CLOSURE_DAYS": "2026-12-29,boxing day"})

    assert result.returncode != 0
    assert "CLOSURE_DAYS: 'boxing day' is not a date (2026-12-29)" in result.stderr


def _redis_listening(host="127.0.0.1", port=6379):
    import socket

    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_listening(), reason="no Redis on 127.0.0.1:6379")
def test_production_shares_its_cache_through_redis_as_the_readme_says():
    # The deployment section's CACHE_URL: rate limits and cached pages shared by every worker.
    code = (
        "from django.core.cache import caches; import os; key = 'cc-' + os.urandom(4).hex(); "
        "cache = caches['default']; cache.set(key, 'shared', 5); "
        "print(type(cache).__module__, type(cache).__name__, cache.get(key)); "
        "cache.delete(key)"
    )
    env = {**PRODUCTION_ENV, "CACHE_URL": "redis://127.0.0.1:6379/15"}

    result = manage("shell", "--no-imports", "-c", code, env=env)

    assert result.returncode == 0, result.stderr
    # Django's own backend, not a subclass on its private API.
    assert result.stdout.split() == ["django.core.cache.backends.redis", "RedisCache", "shared"]
