"""Benchmark: the staff dashboard (/staff/) over every record in the benchmark database.

Times each section's aggregation on its own (hub engagements, partner agreements, directory
coverage, volunteering) for an officer, and the whole page in-process (sign-in, view, template),
and counts the page's queries. Past months' engagement figures are cached until an engagement
changes: the hub section is timed with and without them.

    .venv/bin/python bench/dashboard.py [--repeat 20]
"""

import argparse

from common import Report, median, ms, p95, setup_django, timed

setup_django()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from report import officer_client  # noqa: E402

from core.cache import bump  # noqa: E402
from dashboard.agreements import partner_section  # noqa: E402
from dashboard.coverage import directory_section  # noqa: E402
from dashboard.engagements import hub_section  # noqa: E402
from dashboard.volunteers import volunteering_section  # noqa: E402
from directory.models import Service  # noqa: E402
from hubs.models import ENGAGEMENTS_VERSION_KEY, Engagement, Hub  # noqa: E402
from partners.models import Agreement  # noqa: E402

TARGET_MS = 200
URL = "/staff/"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    client = officer_client()
    from django.contrib.auth.models import User

    user = User.objects.get(username="bench-officer")
    today = timezone.localdate()
    report = Report(
        f"Dashboard: {Engagement.objects.count():,} engagements at {Hub.objects.count()} hubs, "
        f"{Service.objects.count():,} services, {Agreement.objects.count():,} agreements on "
        f"{connection.vendor}"
    )

    def hub_section_cold(user, today):
        bump(ENGAGEMENTS_VERSION_KEY)
        return hub_section(user, today)

    for name, function in (
        ("hub engagements section, past months not cached", hub_section_cold),
        ("hub engagements section", hub_section),
        ("partner agreements section", partner_section),
        ("directory coverage section", directory_section),
        ("volunteering section", volunteering_section),
    ):
        times = timed(lambda f=function: f(user, today), args.repeat)
        report.add(name, f"median {ms(median(times))}, p95 {ms(p95(times))}")
    response = client.get(URL)
    if response.status_code != 200:
        report.note(f"{URL} answered {response.status_code}: not timed")
    else:
        queries = []
        # Django clears connection.queries when a request starts: count with a wrapper.
        with connection.execute_wrapper(lambda execute, *a: queries.append(1) or execute(*a)):
            client.get(URL)
        page = timed(lambda: client.get(URL), args.repeat)
        report.add(
            "whole dashboard page, officer",
            f"median {ms(median(page))}, p95 {ms(p95(page))}",
            f"< {TARGET_MS} ms",
            median(page) < TARGET_MS,
        )
        report.add("queries for the page", len(queries))
    report.print()


if __name__ == "__main__":
    main()
