"""Benchmark 1: public directory search on the benchmark database.

For each realistic query: server time of the whole search page (Django's test client,
in-process: middleware, view, SQL and template; the page cache off; the summary cards
cached, and again not cached, as for services no recent page showed),
its SQL statements run raw (the exact SQL the page ran, through the database driver), and for
keyword queries the naive baseline as a whole page: the same URL, view and template with the
search layer's icontains ranker (directory.search.ranking.OrmRanker, what SQLite uses: every
word in the name, keywords, description, organisation or categories), page against page.

Targets by size (issue 23): p95 < 25 ms at 10,000 services, < 40 ms at 100,000, < 100 ms at
1,000,000 (bench/run --national).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cc_bench .venv/bin/python bench/search.py
"""

import argparse
import time

from common import Report, median, ms, p95, setup_django, timed

setup_django()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from directory.models import Area, Location, Postcode, Service  # noqa: E402
from directory.search import ranking  # noqa: E402

P95_TARGETS = ((10_000, 25), (100_000, 40), (1_000_000, 100))  # services: p95 ms
RAW_RATIO_TARGET = 3
BASELINE_TARGET = 10
QUERY_TARGET = 8


def queries():
    """(label, kind, GET parameters), using places that exist in this database."""
    located = Location.objects.filter(services__isnull=False, latitude__isnull=False)
    place = located.order_by("pk").values_list("postcode", flat=True).first()
    postcode = Postcode.objects.filter(postcode=place).values_list("postcode", flat=True).first()
    town = Area.objects.filter(kind=Area.Kind.TOWN).order_by("pk").values_list("slug", flat=True)
    town = town.first()
    found = [
        ("keyword: food bank", "keyword", {"q": "food bank"}),
        ("keyword: debt advice", "keyword", {"q": "debt advice"}),
        ("keyword: dementia", "keyword", {"q": "dementia"}),
        ("keyword: youth club", "keyword", {"q": "youth club"}),
        (
            "keyword + filters: coffee, free, Tue",
            "keyword",
            {
                "q": "coffee",
                "cost": "free",
                "day": "2",
                "category": "loneliness-and-social-contact",
            },
        ),
        ("typo: fod bank", "typo", {"q": "fod bank"}),
        ("typo: mentl helth", "typo", {"q": "mentl helth"}),
        ("browse: everything", "browse", {}),
    ]
    if town:
        found.insert(5, ("keyword + town: advice", "keyword", {"q": "advice", "area": town}))
    if postcode:
        found += [
            ("near postcode, 5 miles", "near", {"postcode": postcode, "distance": "5"}),
            ("near postcode + keyword", "near", {"q": "food", "postcode": postcode}),
            (
                "near postcode + keyword, page 5",
                "near",
                {"q": "food", "postcode": postcode, "page": "5"},
            ),
        ]
    return found


def measure(client, params, repeat, *, cards):
    """(server times, raw SQL median, statements) for the search page with the page cache
    off; `cards`: the summary cards cached (as deployed, warm after the first request), or
    loaded and rendered on every request. The roles panel is not cached."""
    card_seconds = 300 if cards else 0
    caches_off = {"PUBLIC_PAGE_CACHE_SECONDS": 0, "DIRECTORY_CARD_CACHE_SECONDS": card_seconds}
    with override_settings(**caches_off):
        response = client.get("/directory/", params)
        assert response.status_code == 200, (params, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get("/directory/", params)
        # Read them now: the next request resets Django's query log.
        statements = [q["sql"] for q in captured.captured_queries]
        server = timed(lambda: client.get("/directory/", params), repeat)
    return server, raw_sql_ms(statements, max(5, repeat // 3)), statements


def raw_sql_ms(statements, repeat):
    """Median time to run these exact SQL statements through the driver, with no Django."""
    raw = connection.cursor().cursor  # the psycopg / sqlite3 cursor itself

    def run():
        for sql in statements:
            raw.execute(sql)
            raw.fetchall()

    return median(timed(run, repeat))


def baseline_ms(client, params, repeat):
    """The naive search page: the same URL, view and template, with icontains ranking."""
    saved = dict(ranking._RANKERS)
    ranking._RANKERS.clear()  # every database gets the ORM's icontains ranker
    try:
        with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
            client.get("/directory/", params)
            return median(timed(lambda: client.get("/directory/", params), repeat))
    finally:
        ranking._RANKERS.update(saved)


def p95_target(services):
    return next((ms_ for size, ms_ in P95_TARGETS if services <= size * 1.5), P95_TARGETS[-1][1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per query")
    args = parser.parse_args()
    total = Service.objects.count()
    published = Service.objects.published().count()
    report = Report(
        f"Search: {total:,} services ({published:,} published) on {connection.vendor}, "
        f"{args.repeat} requests per query"
    )
    client = Client()
    target = p95_target(published)
    worst_p95, worst_ratio, worst_speedup, most_queries = 0.0, 0.0, None, 0
    cold_p95, cold_ratio = 0.0, 0.0
    for label, kind, params in queries():
        server, raw, statements = measure(client, params, args.repeat, cards=True)
        cold, cold_raw, cold_statements = measure(
            client, params, max(5, args.repeat // 3), cards=False
        )
        ratio = median(server) / raw if raw else 0
        worst_p95 = max(worst_p95, p95(server))
        worst_ratio = max(worst_ratio, ratio)
        cold_p95 = max(cold_p95, p95(cold))
        cold_ratio = max(cold_ratio, median(cold) / cold_raw if cold_raw else 0)
        most_queries = max(most_queries, len(statements), len(cold_statements))
        text = f"median {ms(median(server))}, p95 {ms(p95(server))} "
        text += f"({'met' if p95(server) < target else 'NOT met'}: < {target}), "
        text += f"raw SQL {ms(raw)} "
        text += f"(x{ratio:.1f}), {len(statements)} queries; cards not cached: median "
        text += f"{ms(median(cold))} (x{median(cold) / cold_raw:.1f}), p95 {ms(p95(cold))}"
        if kind == "keyword":
            base = baseline_ms(client, params, max(3, args.repeat // 6))
            speedup = base / median(server)
            worst_speedup = speedup if worst_speedup is None else min(worst_speedup, speedup)
            text += f"; icontains page {ms(base)} (x{speedup:.1f} faster, page against page)"
        report.add(label, text)
    # The cached page (anonymous GET, same URL within the cache lifetime).
    cached = timed(lambda: client.get("/directory/", {"q": "food bank"}), args.repeat)
    report.add("cached page: food bank", f"median {ms(median(cached))}, p95 {ms(p95(cached))}")
    report.add(
        "worst p95 server time (uncached)",
        ms(worst_p95),
        f"< {target} ms",
        worst_p95 < target,
    )
    report.add(
        "worst server / raw SQL (median)",
        f"x{worst_ratio:.1f}",
        f"<= x{RAW_RATIO_TARGET}",
        worst_ratio <= RAW_RATIO_TARGET,
    )
    # A page whose services no recent page showed: every card loaded and rendered.
    report.add(
        "worst p95, cards not cached",
        ms(cold_p95),
        f"< {target} ms",
        cold_p95 < target,
    )
    report.add(
        "worst server / raw SQL, cards not cached",
        f"x{cold_ratio:.1f}",
        f"<= x{RAW_RATIO_TARGET}",
        cold_ratio <= RAW_RATIO_TARGET,
    )
    if worst_speedup is not None:
        report.add(
            "least speed-up over icontains (keyword)",
            f"x{worst_speedup:.1f}",
            f">= x{BASELINE_TARGET}",
            worst_speedup >= BASELINE_TARGET,
        )
    report.add(
        "most SQL queries on a page",
        most_queries,
        f"<= {QUERY_TARGET}",
        most_queries <= QUERY_TARGET,
    )
    report.print()


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"({time.monotonic() - started:.0f} s)")
