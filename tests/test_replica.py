"""Public reads from a real PostgreSQL streaming replica (core.replica).

Starts two PostgreSQL 15 clusters of its own in a temporary directory, on free ports: a
primary and a standby made from it with pg_basebackup, streaming. Then tests/replica_journey.py
runs the site against them (DATABASE_URL and DATABASE_REPLICA_URL) in a process of its own.
Runs with the PostgreSQL suite where the server binaries are installed; skipped otherwise.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        not (BIN / "pg_basebackup").exists(), reason=f"PostgreSQL server binaries not in {BIN}"
    ),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs with the PostgreSQL suite"),
]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args, **kwargs):
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


@pytest.fixture
def clusters():
    base = Path(tempfile.mkdtemp(prefix="cc-replica-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    primary, standby = base / "primary", base / "standby"
    ports = _free_port(), _free_port()
    started = []
    try:
        _as_postgres([BIN / "initdb", "-D", primary, "-U", "postgres", "--auth=trust",
                      "-E", "UTF8", "--locale=C"])  # fmt: skip
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {ports[0]}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{base}'\nwal_level = replica\n"
                "max_wal_senders = 4\nfsync = off\n"
            )
        with open(primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        _as_postgres([BIN / "pg_ctl", "-D", primary, "-l", base / "primary.log", "-w", "start"])
        started.append(primary)
        _as_postgres([BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", str(ports[0]),
                      "-U", "postgres", "-D", standby, "-R", "-X", "stream"])  # fmt: skip
        with open(standby / "postgresql.conf", "a") as conf:
            conf.write(f"port = {ports[1]}\n")
        _as_postgres([BIN / "pg_ctl", "-D", standby, "-l", base / "standby.log", "-w", "start"])
        started.append(standby)
        _as_postgres([BIN / "createdb", "-h", "127.0.0.1", "-p", str(ports[0]), "-U",
                      "postgres", "cc_replica"])  # fmt: skip
        yield tuple(f"postgres://postgres@127.0.0.1:{port}/cc_replica" for port in ports)
    finally:
        for data in reversed(started):
            _as_postgres([BIN / "pg_ctl", "-D", data, "-m", "immediate", "stop"])
        shutil.rmtree(base, ignore_errors=True)


def test_visitors_read_from_the_replica_and_writers_see_their_writes_at_once(clusters):
    primary, replica = clusters
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": primary,
        "DATABASE_REPLICA_URL": replica,
        "CACHE_URL": "locmemcache://",
        "PUBLIC_PAGE_CACHE_SECONDS": "0",
        # Cards are cached by service and version, whichever database rendered them: the
        # writer's fresh card would stand in for the replica's, which the journey checks.
        "DIRECTORY_CARD_CACHE_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, ROOT / "tests" / "replica_journey.py"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "journey done" in result.stdout
