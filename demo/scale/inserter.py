"""Bulk loading for the scale-data commands: COPY on PostgreSQL with ids reserved from the
sequence first (so children can point at their parents), bulk_create elsewhere."""

import sys
import time

from django.db import connection


class Inserter:
    """Batched inserts that know their ids up front: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, command, batch_size):
        self.command = command
        self.batch_size = batch_size
        self.postgres = connection.vendor == "postgresql"

    def reserve_ids(self, model, count):
        """`count` new primary keys for `model`, in order."""
        if count <= 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                    "FROM generate_series(1, %s) ORDER BY 1",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            start = (cursor.fetchone()[0] or 0) + 1
            if not hasattr(self, "_next"):
                self._next = {}
            start = max(start, self._next.get(table, 0))
            self._next[table] = start + count
            return list(range(start, start + count))

    def insert(self, model, fields, rows, *, total=None, label=None):
        """Insert tuples of values for `fields` (attnames, e.g. "organisation_id")."""
        batch, done = [], 0
        progress = Progress(self.command, label, total) if label else None
        for row in rows:
            batch.append(row)
            if len(batch) >= self.batch_size:
                self._flush(model, fields, batch)
                done += len(batch)
                batch = []
                if progress:
                    progress.update(done)
        if batch:
            self._flush(model, fields, batch)
            done += len(batch)
        if progress:
            progress.finish(done)
        return done

    def _flush(self, model, fields, batch):
        if self.postgres:
            # COPY leaves unnamed columns NULL (Django's defaults are not the database's): send
            # the fixed default (or "") of every other NOT NULL field, as bulk_create would.
            defaults = [
                f
                for f in model._meta.concrete_fields
                if f.attname not in fields
                and not f.null
                and not f.primary_key
                and not f.generated
                and not (f.has_default() and callable(f.default))
                and f.get_default() is not None
            ]
            columns = ", ".join(
                connection.ops.quote_name(model._meta.get_field(f).column) for f in fields
            )
            columns += "".join(f", {connection.ops.quote_name(f.column)}" for f in defaults)
            extra = tuple(f.get_default() for f in defaults)
            table = connection.ops.quote_name(model._meta.db_table)
            with (
                connection.cursor() as cursor,
                cursor.copy(
                    f"COPY {table} ({columns}) FROM STDIN"  # noqa: S608 - names from the model
                ) as copy,
            ):
                for row in batch:
                    copy.write_row(tuple(row) + extra)
        else:
            model.objects.bulk_create(
                [model(**dict(zip(fields, row, strict=True))) for row in batch],
                batch_size=min(self.batch_size, 500),
            )


class Progress:
    """A text progress bar (redrawn in place on a terminal, a line per 10% otherwise)."""

    WIDTH = 30

    def __init__(self, command, label, total):
        self.command, self.label, self.total = command, label, total or 0
        self.started = time.monotonic()
        self.tty = command.verbosity > 0 and sys.stdout.isatty()
        self.shown = -1

    def update(self, done):
        if self.command.verbosity < 1 or not self.total:
            return
        percent = min(100, done * 100 // self.total)
        if self.tty:
            filled = self.WIDTH * percent // 100
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.command.stdout.write(
                f"\r  {self.label:<14} [{bar}] {percent:3d}% {done:,}/{self.total:,}", ending=""
            )
            self.command.stdout.flush()
        elif percent // 10 > self.shown:
            self.shown = percent // 10
            self.command.stdout.write(f"  {self.label:<14} {percent:3d}% {done:,}/{self.total:,}")

    def finish(self, done):
        if self.command.verbosity < 1:
            return
        if self.tty:
            self.update(done)
        seconds = time.monotonic() - self.started
        if self.tty:
            self.command.stdout.write("")
        self.command.stdout.write(f"  {self.label:<14} {done:,} rows in {seconds:.1f} s")
