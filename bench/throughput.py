"""Benchmark 5: throughput of the public search page under gunicorn, with wrk on loopback.

Starts gunicorn (production settings, 2 workers by default, persistent database connections)
on 127.0.0.1, then runs wrk for a fixed time over a rotating set of realistic search URLs:
with the search page cache on (after one warm-up pass), with it off (the summary cards still
cached), and with no caches. Prints requests per second, p95 latency and errors. Needs wrk
(`apt-get install -y wrk`), collected static files (`manage.py collectstatic`; bench/run does
both) and the cache (Redis by default, BENCH_CACHE_URL).

    .venv/bin/python bench/throughput.py [--seconds 10] [--workers 2] [--connections 8]
"""

import argparse
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, Report, clear_cache, settings_environment

TARGET_RPS = 300
TARGET_P95_MS = 100
PATHS = [
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
# (label, DIRECTORY_SEARCH_CACHE_SECONDS, DIRECTORY_CARD_CACHE_SECONDS): as deployed, then
# without the page cache (each search worked out, cards cached), then with neither.
RUNS = [("page cache on", 60, 300), ("page cache off", 0, 300), ("no caches", 0, 0)]
LUA = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
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
    env["DIRECTORY_SEARCH_CACHE_SECONDS"] = str(page_seconds)
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


def run_wrk(port, seconds, connections, script):
    result = subprocess.run(
        [
            "wrk",
            f"--threads={min(2, connections)}",
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
    return requests / (micros / 1e6), int(values["p95"]) / 1000, int(values["errors"])


def warm(port):
    for path in PATHS:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30):  # noqa: S310
            pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8931)
    args = parser.parse_args()
    report = Report(
        f"Throughput: search page under gunicorn ({args.workers} workers), wrk "
        f"{args.connections} connections for {args.seconds} s, {len(PATHS)} URLs in turn"
    )
    if shutil.which("wrk") is None:
        report.note("skipped: wrk is not installed (apt-get install -y wrk)")
        report.print()
        return
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "paths.lua"
        script.write_text(LUA % ", ".join(f'"{p}"' for p in PATHS))
        for label, page_seconds, card_seconds in RUNS:
            process = start_gunicorn(args.port, args.workers, page_seconds, card_seconds)
            try:
                warm(port=args.port)
                rps, p95_ms, errors = run_wrk(args.port, args.seconds, args.connections, script)
            finally:
                process.terminate()
                process.wait(timeout=30)
            report.add(
                f"{label}: requests per second",
                f"{rps:,.0f}",
                f">= {TARGET_RPS}",
                rps >= TARGET_RPS,
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
