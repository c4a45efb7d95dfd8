"""Harvest other councils' ORUK feeds: `manage.py harvest_oruk [FEED ...]`, run daily."""

import sys

from django.core.management.base import BaseCommand, CommandError

from directory.harvest import TIMEOUT, HarvestError, harvest_feed
from directory.models import HarvestFeed


class Command(BaseCommand):
    help = (
        "Harvest the named ORUK feeds (by name or id), or every active feed that is due. "
        "The first harvest and one a week are full passes (services gone from the feed are "
        "withdrawn); the others fetch only services modified since the last good harvest."
    )

    def add_arguments(self, parser):
        parser.add_argument("feeds", nargs="*", help="feed names or ids; all due feeds if none")
        parser.add_argument("--full", action="store_true", help="a full pass, whatever is due")
        parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per page")

    def handle(self, *args, feeds, full, timeout, **options):
        if feeds:
            chosen = []
            for name in feeds:
                found = HarvestFeed.objects.filter(name=name).first()
                if found is None and name.isdigit():
                    found = HarvestFeed.objects.filter(pk=int(name)).first()
                if found is None:
                    raise CommandError(f"No feed called {name!r}.")
                chosen.append(found)
        else:
            chosen = list(HarvestFeed.objects.due())
        failed = 0
        for feed in chosen:
            try:
                result = harvest_feed(
                    feed=feed,
                    full=True if full else None,
                    timeout=timeout,
                    progress=_progress(feed),
                )
            except HarvestError as error:
                failed += 1
                sys.stderr.write("\n")
                self.stderr.write(f"{feed}: {error}")
                continue
            sys.stderr.write("\n")
            self.stdout.write(f"{feed}: {result}")
        if not chosen:
            self.stdout.write("No feeds due.")
        if failed:
            raise CommandError(f"{failed} of {len(chosen)} feeds failed; see each feed's page.")


def _progress(feed):
    """One line on stderr, rewritten as pages arrive: "Thurrock Council: page 3 of 20"."""

    def show(page, pages):
        sys.stderr.write(f"\r{feed}: page {page} of {pages}")
        sys.stderr.flush()

    return show
