import uuid

from django.db import models


class Area(models.Model):
    """A town or ward: where services are, and which places an organisation serves."""

    class Kind(models.TextChoices):
        TOWN = "town", "Town"
        WARD = "ward", "Ward"

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TOWN)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # ONS GSS code (e.g. E05004097 for a ward), used to match postcodes to areas.
    ons_code = models.CharField("ONS code", max_length=9, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="directory_area_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name


class Location(models.Model):
    """A physical place where services and hub activities happen."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, blank=True, help_text="For example, the venue name")
    address_1 = models.CharField("address line 1", max_length=200)
    address_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="locations"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accessibility = models.TextField(
        "accessibility notes", blank=True, help_text="Step-free access, hearing loop, parking"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "address_1"]

    def __str__(self):
        return ", ".join(p for p in (self.name, self.address_1, self.postcode) if p)
