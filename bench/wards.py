"""Benchmark: the ward matrix (/staff/wards/) for an officer over every ward in the database.

The whole page in-process (sign-in, view, matrix, SVG map, template) for all wards, for one
town's wards, and for all wards counting one category's services, each with its query count:
the count must not grow with the number of wards. The services per ward are kept under the
public version key (dashboard.wards.services_per_area): the page is timed as an officer's
second look finds it, and again as the first look after a listing changed. Give the
benchmark database its wards first:

    DEBUG=true DATABASE_URL=... .venv/bin/python manage.py generate_scale_wards --wards 1000
    .venv/bin/python bench/wards.py [--repeat 20]
"""

import argparse

from common import Report, median, ms, p95, setup_django, timed

setup_django()

from django.db import connection  # noqa: E402
from report import officer_client  # noqa: E402

from core.cache import bump  # noqa: E402
from directory.models import Area, Service, TaxonomyTerm  # noqa: E402
from hubs.models import Engagement  # noqa: E402
from wards.models import WardFigure  # noqa: E402

TARGET_MS = 300
URL = "/staff/wards/"


def queries_for(client, url):
    """The page's response and query count, as a second look at it finds it (the services
    per ward cached)."""
    client.get(url)
    queries = []
    # Django clears connection.queries when a request starts: count with a wrapper.
    with connection.execute_wrapper(lambda execute, *a: queries.append(1) or execute(*a)):
        response = client.get(url)
    return response, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    client = officer_client()
    wards = Area.objects.filter(kind=Area.Kind.WARD)
    report = Report(
        f"Ward matrix: {wards.count():,} wards ({WardFigure.objects.count():,} figures), "
        f"{Service.objects.count():,} services, {Engagement.objects.count():,} engagements on "
        f"{connection.vendor}"
    )
    town = Area.objects.filter(children__in=wards).order_by("pk").first()
    category = TaxonomyTerm.objects.order_by("pk").first()
    pages = [("all wards", URL)]
    if town:
        pages.append((f"one town's {town.children.count()} wards", f"{URL}?town={town.pk}"))
    if category:
        pages.append(("all wards, one category", f"{URL}?category={category.pk}"))
    counts = {}
    for name, url in pages:
        response, count = queries_for(client, url)
        if response.status_code != 200:
            report.note(f"{url} answered {response.status_code}: not timed")
            continue
        counts[name] = count
        times = timed(lambda u=url: client.get(u), args.repeat)
        report.add(
            f"matrix page, {name}",
            f"median {ms(median(times))}, p95 {ms(p95(times))}",
            f"< {TARGET_MS} ms" if name == "all wards" else "",
            median(times) < TARGET_MS if name == "all wards" else None,
        )
        if name == "all wards":
            # The first look after any listing changed counts the services per ward again.
            fresh = timed(lambda u=url: (bump(), client.get(u)), args.repeat)
            report.add(
                "matrix page, all wards, just after a listing changed",
                f"median {ms(median(fresh))}, p95 {ms(p95(fresh))}",
            )
        report.add(f"queries, {name}", count)
    if len(counts) > 1:
        # A town or category chosen costs one query to check it; the rest must not grow with
        # the wards shown. Compare with the same figure at another size (e.g. --small).
        every, some = list(counts.values())[:2]
        report.add(
            "queries: all wards, and one town's less checking the town",
            f"{every}, {some - 1}",
            "the same",
            every == some - 1,
        )
    report.print()


if __name__ == "__main__":
    main()
