"""What a page costs a phone to download: HTML, CSS and JavaScript, each compressed as
whitenoise serves it (gzip, level 9), images and map tiles left out.

Loads the page in Debian's Chromium at 375 px (as the browser tests do) from a running site,
e.g. `make run`, and prints each file and the total. With --open-map it then presses "Show
these results on a map" and counts what that loads too.

    .venv/bin/python bench/page_weight.py http://127.0.0.1:8000/directory/?q=food
    .venv/bin/python bench/page_weight.py --open-map http://127.0.0.1:8000/directory/?q=food
"""

import argparse
import gzip
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
KINDS = {"document", "stylesheet", "script"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--open-map", action="store_true")
    args = parser.parse_args()
    bodies = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 375, "height": 812})
        # Tiles are images (left out); answer them here so nothing leaves the machine.
        page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())

        def keep(response):
            if response.request.resource_type in KINDS and response.ok:
                bodies[urlsplit(response.url).path] = response.body()

        page.on("response", keep)
        page.goto(args.url, wait_until="networkidle")
        if args.open_map:
            page.get_by_role("button", name="Show these results on a map").click()
            page.locator(".leaflet-marker-icon").first.wait_for()
            page.wait_for_load_state("networkidle")
        browser.close()
    total_raw = total_gzip = 0
    print(f"{'file':60} {'bytes':>9} {'gzip -9':>9}")
    for path, body in sorted(bodies.items()):
        packed = len(gzip.compress(body, 9))
        total_raw += len(body)
        total_gzip += packed
        print(f"{path[:60]:60} {len(body):9,} {packed:9,}")
    print(f"{'total (HTML + CSS + JS)':60} {total_raw:9,} {total_gzip:9,}")


if __name__ == "__main__":
    main()
