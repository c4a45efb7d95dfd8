"""Demo data for the directory: the five towns of a Basildon-like borough."""

from django.utils.text import slugify

from directory.models import Area

TOWNS = ["Basildon", "Billericay", "Wickford", "Laindon", "Pitsea"]


def seed(command):
    for name in TOWNS:
        Area.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "kind": Area.Kind.TOWN}
        )
