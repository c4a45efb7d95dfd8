"""Benchmark 3: the hub engagement reports over every engagement in the benchmark database.

Times the officers' report (every table: per month, by activity, age band, partner, referrals)
for all hubs over the default range (the last twelve months), the monthly table on its own,
one hub's report, and the whole staff page in-process (sign-in, view, template).

    .venv/bin/python bench/report.py [--repeat 20]
"""

import argparse

from common import Report, median, ms, p95, setup_django, timed

setup_django()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.reports import ReportFilterForm  # noqa: E402
from core.roles import OFFICER  # noqa: E402
from hubs import reports  # noqa: E402
from hubs.models import Engagement, Hub, Referral  # noqa: E402
from volunteering import reports as hours_reports  # noqa: E402
from volunteering.models import VolunteerHours  # noqa: E402

TARGET_MS = 200


def officer_client():
    user, _ = User.objects.get_or_create(username="bench-officer", defaults={"is_staff": True})
    group, _ = Group.objects.get_or_create(name=OFFICER)
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    session = client.session  # mark the second factor as done, as tests/conftest.py does
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    device, _ = StaticDevice.objects.get_or_create(user=user, name="bench")
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    start, end = ReportFilterForm.default_range(timezone.localdate())
    hubs = list(Hub.objects.order_by("name"))
    engagements = Engagement.objects.all()
    referrals = Referral.objects.all()
    in_range = engagements.filter(date__gte=start, date__lte=end).count()
    report = Report(
        f"Reports: {engagements.count():,} engagements at {len(hubs)} hubs on "
        f"{connection.vendor}; {in_range:,} in {start:%b %Y} to {end:%b %Y}"
    )
    every = timed(
        lambda: reports.build(
            engagements, referrals, start=start, end=end, hubs=hubs, total_label="All"
        ),
        args.repeat,
    )
    only_monthly = timed(
        lambda: reports.monthly(
            reports.monthly_rows(reports.filtered(engagements, start=start, end=end, hubs=hubs)),
            start=start,
            end=end,
            hubs=hubs,
            total_label="All",
        ),
        args.repeat,
    )
    one = timed(
        lambda: reports.build(
            engagements, referrals, start=start, end=end, hubs=hubs[:1], total_label="x"
        ),
        args.repeat,
    )
    report.add(
        "monthly table, all hubs, 12 months",
        f"median {ms(median(only_monthly))}, p95 {ms(p95(only_monthly))}",
        f"< {TARGET_MS} ms",
        median(only_monthly) < TARGET_MS,
    )
    report.add(
        "every report table, all hubs, 12 months",
        f"median {ms(median(every))}, p95 {ms(p95(every))}",
        f"< {TARGET_MS} ms",
        median(every) < TARGET_MS,
    )
    report.add("every report table, one hub", f"median {ms(median(one))}, p95 {ms(p95(one))}")
    hours = VolunteerHours.objects.all()
    in_range = hours.filter(date__gte=start, date__lte=end).count()
    if in_range:
        every_hours = timed(lambda: hours_reports.build(hours, start=start, end=end), args.repeat)
        report.add(
            f"volunteer hours report, every table ({in_range:,} entries)",
            f"median {ms(median(every_hours))}, p95 {ms(p95(every_hours))}",
        )
    if hubs:
        client = officer_client()
        url = "/staff/hubs/reports/"
        response = client.get(url, {"hub": hubs[0].pk})
        if response.status_code == 200:
            page_one = timed(lambda: client.get(url, {"hub": hubs[0].pk}), args.repeat)
            page_all = timed(lambda: client.get(url), max(3, args.repeat // 4))
            report.add("staff report page, one hub", f"median {ms(median(page_one))}")
            report.add(
                f"staff report page, all {len(hubs)} hubs (a column each)",
                f"median {ms(median(page_all))}",
            )
        else:
            report.note(f"staff report page answered {response.status_code}: not timed")
    report.print()


if __name__ == "__main__":
    main()
