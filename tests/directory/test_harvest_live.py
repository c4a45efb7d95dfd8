"""Harvesting our own ORUK API as another council would serve it: a second server process
(runserver on a SQLite file of its own, seeded with 2,000 generated services), harvested
into the test database, then edited upstream and harvested again."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

from directory.harvest import harvest_feed
from directory.models import HarvestFeed, Service

ROOT = Path(__file__).resolve().parent.parent.parent
SERVICES = 2000


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def upstream(tmp_path):
    """(base URL, run(code)): the server, and a way to change its database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'upstream.sqlite3'}",
        "CACHE_URL": "locmemcache://",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run(*args):
        done = subprocess.run([*manage, *args], env=env, cwd=ROOT, check=True, capture_output=True)
        return done.stdout.decode()

    READY[0] = time.monotonic()
    run("migrate", "--noinput", "-v0")
    run("generate_scale_data", "--services", str(SERVICES), "--engagements", "0", "-v0")
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "the upstream server stopped"
                time.sleep(0.1)
        yield (
            f"http://127.0.0.1:{port}/api/oruk",
            lambda code: run("shell", "--no-imports", "-c", code),
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


READY = [time.monotonic()]


def test_harvest_of_a_live_oruk_server_imports_all_then_exactly_the_changes(db, client, upstream):
    url, change_upstream = upstream
    feed = HarvestFeed.objects.create(name="Thurrock Council", base_url=url)
    print(f"\nupstream ready in {time.monotonic() - READY[0]:.1f} s")

    started = time.monotonic()
    first = harvest_feed(feed=feed)
    first_seconds = time.monotonic() - started

    harvested = Service.objects.filter(source_feed=feed)
    published_upstream = int(
        change_upstream(
            "from directory.models import Service; print(Service.objects.published().count())"
        )
    )
    assert first.fetched == published_upstream > SERVICES * 0.8
    assert (first.full, first.created, first.withdrawn) == (True, published_upstream, 0)
    assert harvested.published().count() == published_upstream
    sample = harvested.order_by("source_id").first()
    found = client.get(reverse("directory:search"), {"q": sample.name})
    assert sample.get_absolute_url() in found.content.decode()
    assert "Listed by Thurrock Council" in found.content.decode()

    # Upstream: three services renamed, two withdrawn (drafts leave the ORUK API).
    change_upstream(
        "from django.utils import timezone\n"
        "from directory.models import Service\n"
        "ids = list(Service.objects.published().order_by('uuid').values_list('pk', flat=True))\n"
        "for pk in ids[:3]:\n"
        "    s = Service.objects.get(pk=pk); s.name = f'Renamed {pk}'; s.save()\n"
        "Service.objects.filter(pk__in=ids[3:5]).update("
        "publication='draft', last_modified=timezone.now())\n"
    )

    started = time.monotonic()
    changes = harvest_feed(feed=feed)
    changes_seconds = time.monotonic() - started
    assert (changes.full, changes.fetched, changes.created, changes.updated) == (False, 3, 0, 3)
    assert harvested.filter(name__startswith="Renamed ").count() == 3
    assert harvested.published().count() == published_upstream  # removal needs a full pass

    started = time.monotonic()
    full = harvest_feed(feed=feed, full=True)
    full_seconds = time.monotonic() - started
    # Nothing else changed upstream: a full pass reads everything and writes only withdrawals.
    assert (full.fetched, full.created, full.updated, full.unchanged, full.withdrawn) == (
        published_upstream - 2,
        0,
        0,
        published_upstream - 2,
        2,
    )
    assert harvested.published().count() == published_upstream - 2
    assert harvested.count() == published_upstream  # withdrawn, not deleted
    print(
        f"\nfirst harvest {first_seconds:.1f} s, changes only {changes_seconds:.1f} s, "
        f"full pass {full_seconds:.1f} s ({published_upstream} services)"
    )
