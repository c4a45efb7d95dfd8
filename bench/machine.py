"""The machine's speed now: the same fixed work in Python and in PostgreSQL on every run.

Timings on a shared machine drift by a third or more over an hour (other tenants' load), code
unchanged. bench/run prints this line before and after the benchmarks, so two runs' figures
can be compared: when these grew by a quarter, the others did too.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cc_bench .venv/bin/python bench/machine.py
"""

import argparse

from common import median, setup_django, timed

setup_django()

from django.db import connection  # noqa: E402


def python_ms(repeat):
    return median(timed(lambda: sum(i * i for i in range(1_000_000)), repeat))


def postgresql_ms(repeat):
    with connection.cursor() as cursor:

        def count():
            cursor.execute("SELECT count(*) FROM (SELECT generate_series(1, %s)) s", [1_000_000])
            cursor.fetchone()

        return median(timed(count, repeat))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("label", nargs="?", default="now", help="when, for the line printed")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    database = f"{connection.vendor} {postgresql_ms(args.repeat):.0f} ms"
    print(
        f"Machine speed {args.label} (fixed work; lower is faster): Python 1M-step loop "
        f"{python_ms(args.repeat):.0f} ms, {database} to count 1M generated rows"
    )


if __name__ == "__main__":
    main()
