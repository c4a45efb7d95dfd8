"""Run by tests/test_replica.py against a primary and a streaming standby it started:
migrates the primary, then checks who reads from where. Exits non-zero on any failure."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def replica_has_caught_up(timeout=60):
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        lsn = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.1)
    raise AssertionError("the replica did not catch up within a minute")


def search(client, words):
    """(names on the search page, queries on the primary, queries on the replica)."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get("/directory/", {"q": words})
    assert response.status_code == 200, response.status_code
    return response.content.decode(), len(primary), len(replica)


def main():
    setup_test_environment()
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    call_command("migrate", verbosity=0)
    from tests.factories import ServiceFactory

    service = ServiceFactory(name="Replica food bank", description="Emergency food parcels")
    officer = User.objects.create_superuser("officer", "officer@example.com", "x")
    replica_has_caught_up()
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0], "DATABASE_REPLICA_URL is not a standby"

    visitor = Client()
    html, on_primary, on_replica = search(visitor, "food")
    assert "Replica food bank" in html
    assert on_primary == 0 and on_replica > 0, (on_primary, on_replica)

    api = visitor.get("/api/oruk/services", {"search": "food"})
    assert api.json()["contents"][0]["name"] == "Replica food bank"

    # The replica stops replaying: a writer's change reaches only the primary.
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    writer = Client()
    writer.force_login(officer)  # a session: reads from the primary
    service.name = "Renamed food bank"
    service.save()
    html, on_primary, on_replica = search(writer, "food")
    assert "Renamed food bank" in html  # the writer sees the write at once
    assert on_replica == 0 and on_primary > 0, (on_primary, on_replica)
    assert "Replica food bank" in search(visitor, "food")[0]  # visitors: the replica, behind

    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    replica_has_caught_up()
    assert "Renamed food bank" in search(visitor, "food")[0]
    print("journey done")


if __name__ == "__main__":
    main()
