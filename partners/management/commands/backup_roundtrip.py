"""Prove a backup restores: pg_dump this database, pg_restore it into a scratch database,
and compare the row count of every table. PostgreSQL only.

    python manage.py backup_roundtrip [--keep FILE]
"""

import os
import subprocess
import tempfile
from pathlib import Path

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def _libpq_env(settings_dict):
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def _conninfo(settings_dict, dbname):
    parts = {
        "dbname": dbname,
        "host": settings_dict.get("HOST"),
        "port": settings_dict.get("PORT"),
        "user": settings_dict.get("USER"),
        "password": settings_dict.get("PASSWORD"),
    }
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)


def _table_counts(conninfo):
    with psycopg.connect(conninfo) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


class Command(BaseCommand):
    help = "Back up the PostgreSQL database, restore it to a scratch database and compare counts."

    def add_arguments(self, parser):
        parser.add_argument("--keep", metavar="FILE", help="Also keep the dump at FILE.")

    def handle(self, *args, keep=None, **options):
        if connection.vendor != "postgresql":
            raise CommandError("backup_roundtrip needs PostgreSQL (DATABASE_URL=postgres://...).")
        db = connection.settings_dict
        env = _libpq_env(db)
        scratch = f"{db['NAME']}_restore_check"
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(keep) if keep else Path(tmp) / "backup.dump"
            self._run(
                ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", db["NAME"]], env
            )
            self._run(["dropdb", "--if-exists", scratch], env)
            self._run(["createdb", scratch], env)
            try:
                self._run(
                    [
                        "pg_restore",
                        "--no-owner",
                        "--exit-on-error",
                        f"--dbname={scratch}",
                        str(dump),
                    ],
                    env,
                )
                original = _table_counts(_conninfo(db, db["NAME"]))
                restored = _table_counts(_conninfo(db, scratch))
            finally:
                self._run(["dropdb", "--if-exists", scratch], env)
        mismatched = {
            t for t in original.keys() | restored.keys() if original.get(t) != restored.get(t)
        }
        for table in sorted(original):
            flag = "  MISMATCH" if table in mismatched else ""
            self.stdout.write(
                f"{table:50} {original[table]:>10} {restored.get(table, '-'):>10}{flag}"
            )
        if mismatched:
            raise CommandError(
                f"Restore differs in {len(mismatched)} table(s): {sorted(mismatched)}"
            )
        rows = sum(original.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup restored: {len(original)} tables, {rows} rows, every count matches."
            )
        )

    def _run(self, cmd, env):
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode:
            raise CommandError(f"{cmd[0]} failed: {result.stderr.strip()}")
