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
