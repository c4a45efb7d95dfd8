"""List every hub activity in the public directory afresh (after an import or data fix)."""

from django.core.management.base import BaseCommand

from hubs.models import Hub
from hubs.publishing import publish_hub


class Command(BaseCommand):
    help = "Create or update the directory listing of every hub activity."

    def handle(self, *args, **options):
        hubs = Hub.objects.select_related("lead_partner", "location")
        for hub in hubs:
            publish_hub(hub=hub)
        listed = (
            Hub.objects.filter(activities__service__publication="published")
            .values("activities")
            .count()
        )
        self.stdout.write(self.style.SUCCESS(f"{listed} hub activities listed in the directory."))
