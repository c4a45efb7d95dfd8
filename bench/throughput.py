"""Benchmark 5: throughput of the public search page under gunicorn, with wrk on loopback.

Starts gunicorn (production settings, 2 workers by default, persistent database connections)
on 127.0.0.1, then runs wrk for a fixed time over a realistic mix: at least 5,000 distinct
search URLs made from this database (the search vocabulary's words, single and in pairs;
categories, towns, costs, days, postcodes and distances; later pages), requested in a Zipf
distribution (the n-th most popular URL n times less often than the first; seeded), so a
few searches are common and most are rare, as on a real site. Run with the production cache
(page cache and cards as deployed) and with no caches. With the cache, the mix first runs for
the page cache's lifetime (--warm-seconds) and the measured run goes on through the sequence
from there: a site that has been up a while, not one just started. At 100,000 services, 10
seconds from an empty cache gave 47 req/s (46% of those requests could be cached pages),
after the warm-up 88 (69%). Prints requests per second, p95 latency and errors. Needs wrk
(`apt-get install -y wrk`), collected static files (`manage.py collectstatic`; bench/run does
both) and the cache (Redis by default, BENCH_CACHE_URL).

Target (issue 23, 100,000 services): >= 300 req/s with the production cache, >= 150 with no
caches, p95 < 100 ms, no errors.

    .venv/bin/python bench/throughput.py [--seconds 10] [--warm-seconds 60] [--workers 2]
        [--connections 8]
"""

import argparse
import itertools
import os
import random
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, Report, clear_cache, settings_environment, setup_django

TARGET_RPS = {"production cache": 300, "no caches": 150}
TARGET_P95_MS = 100
DISTINCT_URLS = 5_000
SEQUENCE = 100_000  # requests drawn from the Zipf distribution, replayed in turn
WARM_PATHS = [
    "/directory/",
    "/directory/?q=food+bank",
    "/directory/?q=debt+advice",
    "/directory/?q=coffee+morning",
    "/directory/?q=youth+club",
    "/directory/?q=dementia",
    "/directory/?q=walking",
    "/directory/?q=benefits",
    "/directory/?q=fod+bank",
    "/directory/?q=food&cost=free",
    "/directory/?q=advice&access=drop_in",
    "/directory/?category=food",
    "/directory/?category=young-people&day=2",
    "/directory/?category=older-people&cost=free",
    "/directory/?q=lunch&age=70",
    "/directory/?page=2",
    "/directory/?q=food+bank&page=2",
    "/directory/?q=mental+health",
    "/directory/?q=computer",
    "/directory/?q=job+club",
]
# (label, PUBLIC_PAGE_CACHE_SECONDS, DIRECTORY_CARD_CACHE_SECONDS): as deployed, then
# with no caches.
RUNS = [("production cache", 60, 300), ("no caches", 0, 0)]
# Each wrk thread runs its own copy of the script: thread n takes the sequence's n-th request,
# then every `step`-th after it, so the threads share one pass through the sequence instead
# of each replaying it (which made every URL's second request a cache hit).
LUA = """
paths = {%s}
sequence = {%s}
step = %d
started = %d
setup = function(thread)
  thread:set("counter", started)
  started = started + 1
end
request = function()
  local path = paths[sequence[(counter %% #sequence) + 1]]
  counter = counter + step
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%%d micros=%%d p50=%%d p95=%%d errors=%%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def start_gunicorn(port, workers, page_seconds, card_seconds):
    clear_cache()
    env = {**os.environ, **settings_environment()}
    env["PUBLIC_PAGE_CACHE_SECONDS"] = str(page_seconds)
    env["DIRECTORY_CARD_CACHE_SECONDS"] = str(card_seconds)
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/directory/", timeout=5):  # noqa: S310
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def wrk_threads(connections):
    return min(2, connections)


def run_wrk(port, seconds, connections, script):
    result = subprocess.run(
        [
            "wrk",
            f"--threads={wrk_threads(connections)}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=5s",
            f"--script={script}",
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH "))
    values = dict(part.split("=") for part in line.split()[1:])
    requests, micros = int(values["requests"]), int(values["micros"])
    return requests, requests / (micros / 1e6), int(values["p95"]) / 1000, int(values["errors"])


def mix(seed=2026):
    """(distinct search paths, most popular first; a Zipf-distributed sequence of indexes,
    1-based for Lua) from this database's vocabulary, categories, towns and postcodes."""
    from urllib.parse import urlencode

    from directory.models import Area, Postcode, SearchWord, TaxonomyTerm

    rng = random.Random(seed)
    words = list(
        SearchWord.objects.order_by("-services", "word").values_list("word", flat=True)[:150]
    )
    categories = list(TaxonomyTerm.objects.values_list("slug", flat=True)[:30])
    towns = list(Area.objects.filter(kind=Area.Kind.TOWN).values_list("slug", flat=True)[:30])
    postcodes = list(Postcode.objects.order_by("pk").values_list("postcode", flat=True)[:200])
    pairs = [f"{a} {b}" for a, b in itertools.combinations(words[:60], 2)]
    keywords = words + pairs
    extras = [
        {},
        {"cost": "free"},
        {"day": "2"},
        {"page": "2"},
        {"access": "drop_in"},
    ]
    paths, seen = [], set()
    while len(paths) < DISTINCT_URLS:
        params = {"q": rng.choice(keywords)} if rng.random() < 0.85 else {}
        params.update(rng.choice(extras))
        if rng.random() < 0.2 and categories:
            params["category"] = rng.choice(categories)
        if rng.random() < 0.15 and towns:
            params["area"] = rng.choice(towns)
        if rng.random() < 0.2 and postcodes:
            params["postcode"] = rng.choice(postcodes)
            if rng.random() < 0.5:
                params["distance"] = rng.choice(["1", "3", "5", "10"])
        path = "/directory/?" + urlencode(params) if params else "/directory/"
        if path not in seen:
            seen.add(path)
            paths.append(path)
    weights = [1 / rank for rank in range(1, len(paths) + 1)]
    sequence = rng.choices(range(1, len(paths) + 1), weights=weights, k=SEQUENCE)
    return paths, sequence


def warm(port):
    for path in WARM_PATHS:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30):  # noqa: S310
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--warm-seconds",
        type=int,
        default=None,
        help="with the production cache, run the mix this long before measuring "
        "(default: the page cache's lifetime)",
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8931)
    args = parser.parse_args()
    setup_django()
    paths, sequence = mix()
    warm_label = "the cache's lifetime" if args.warm_seconds is None else f"{args.warm_seconds} s"
    report = Report(
        f"Throughput: search page under gunicorn ({args.workers} workers), wrk "
        f"{args.connections} connections for {args.seconds} s (with the cache, after {warm_label} "
        f"of the mix), {len(paths):,} distinct URLs "
        f"({len(set(sequence)):,} of them in the replayed Zipf sequence of {len(sequence):,})"
    )
    if shutil.which("wrk") is None:
        report.note("skipped: wrk is not installed (apt-get install -y wrk)")
        report.print()
        return
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "paths.lua"
        quoted = ", ".join('"' + p.replace('"', "%22") + '"' for p in paths)
        steps = wrk_threads(args.connections)

        def lua(start):
            script.write_text(LUA % (quoted, ", ".join(map(str, sequence)), steps, start))
            return script

        for label, page_seconds, card_seconds in RUNS:
            process = start_gunicorn(args.port, args.workers, page_seconds, card_seconds)
            try:
                warm(port=args.port)
                # The page cache as it is after running a while: the mix for the cache's
                # lifetime, then the measured run goes on through the sequence from there.
                warm_seconds = page_seconds if args.warm_seconds is None else args.warm_seconds
                start = 0
                if page_seconds and warm_seconds:
                    start, *_ = run_wrk(args.port, warm_seconds, args.connections, lua(0))
                _, rps, p95_ms, errors = run_wrk(
                    args.port, args.seconds, args.connections, lua(start)
                )
            finally:
                process.terminate()
                process.wait(timeout=30)
            report.add(
                f"{label}: requests per second",
                f"{rps:,.0f}",
                f">= {TARGET_RPS[label]}",
                rps >= TARGET_RPS[label],
            )
            report.add(
                f"{label}: p95 latency",
                f"{p95_ms:,.1f} ms",
                f"< {TARGET_P95_MS} ms",
                p95_ms < TARGET_P95_MS,
            )
            report.add(f"{label}: errors", errors, "0", errors == 0)
    report.print()


if __name__ == "__main__":
    main()
