"""Print what the demo searches show, to compare two versions of the code on one database:

    DEBUG=true DATABASE_URL=... .venv/bin/python bench/same_results.py > after.txt

then the same from a checkout of the older commit, and `diff before.txt after.txt`. Each line
is a URL, the heading and the services' names in page order (the public search page), or
the ORUK API's total and names."""

import os
import re
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path.cwd()))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the test client's host

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

WORDS = [
    "food bank",
    "fod bank",
    "debt advice",
    "coffee morning",
    "mental helth",
    "youth",
    "lunch club",
    "parcels",
    "Basildon",
    "advice",
    "pantry",
    "walking",
    "xyzzy",
    "",
]
FILTERS = [
    {},
    {"cost": "free"},
    {"category": "food"},
    {"area": "pitsea"},
    {"day": "2"},
    {"postcode": "SS14 1DL"},
    {"postcode": "SS14 1DL", "distance": "3"},
    {"access": "drop_in", "age": "15"},
    {"page": "2"},
]


def main():
    client = Client()
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0, DIRECTORY_CARD_CACHE_SECONDS=0):
        for words in WORDS:
            for extra in FILTERS:
                url = "/directory/?" + urlencode({"q": words, **extra})
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                html = response.content.decode()
                heading = re.search(r'id="results-heading">([^<]+)<', html)
                names = re.findall(r'itemprop="name">([^<]+)</span></a></h3>', html)
                spelling = re.search(r'id="spelling">(.*?)</p>', html)
                print(
                    url,
                    "|",
                    heading and heading.group(1),
                    "|",
                    spelling and spelling.group(1),
                    "|",
                    names,
                )
            url = "/api/oruk/services?" + urlencode({"search": words, "per_page": 50})
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            body = response.json()
            print(url, "|", body["total_items"], [s["name"] for s in body["contents"]])


if __name__ == "__main__":
    main()
