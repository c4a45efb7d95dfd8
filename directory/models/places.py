"""Where services happen: areas (towns and wards), the postcode lookup, locations."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q

from directory.postcodes import normalise_postcode, validate_postcode


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
    # "Areas served" of an organisation, kept here because partners sits below directory.
    organisations = models.ManyToManyField(
        "partners.Organisation", related_name="areas_served", blank=True
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="directory_area_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name


class PostcodeQuerySet(models.QuerySet):
    def coordinates(self, postcode: str) -> tuple[float, float] | None:
        """(latitude, longitude) of a normalised postcode from the lookup table, or None: one
        query on its unique index (about as quick as a cache read, so not cached)."""
        row = self.filter(postcode=postcode).values_list("latitude", "longitude").first()
        return None if row is None else (float(row[0]), float(row[1]))


class Postcode(models.Model):
    """One row of the ONS Postcode Directory: where a postcode is, offline."""

    postcode = models.CharField(max_length=8, unique=True, help_text='Normalised: "SS14 1AB"')
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    ward_code = models.CharField("ward ONS code", max_length=9, blank=True)
    district_code = models.CharField("district ONS code", max_length=9, blank=True)

    objects = PostcodeQuerySet.as_manager()

    class Meta:
        ordering = ["postcode"]

    def __str__(self):
        return self.postcode


class LocationQuerySet(models.QuerySet):
    def public(self):
        """Places where at least one published service happens."""
        # Service is defined in listings, which imports this module: reach it by the relation.
        service = self.model._meta.get_field("services").related_model
        return self.filter(Exists(service.objects.published().filter(locations=OuterRef("pk"))))


class Location(models.Model):
    """A physical place where services and hub activities happen."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, blank=True, help_text="For example, the venue name")
    description = models.TextField(blank=True)
    address_1 = models.CharField("address line 1", max_length=200)
    address_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, validators=[validate_postcode])
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="locations"
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text="Leave empty to fill in from the postcode",
    )
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accessibility = models.TextField(
        "accessibility notes",
        blank=True,
        help_text="Anything the features below do not say, e.g. the entrance to use",
    )
    # Accessibility features residents can filter by (ORUK/HSDS `accessibility` objects).
    step_free_access = models.BooleanField("step-free access", default=False)
    accessible_toilet = models.BooleanField(default=False)
    hearing_loop = models.BooleanField(default=False)
    parking = models.BooleanField(default=False, help_text="Including disabled parking bays")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    # Harvested from another council's ORUK feed (read-only here); blank for our own.
    source_feed = models.ForeignKey(
        "directory.HarvestFeed",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="locations",
        editable=False,
    )
    source_id = models.CharField(max_length=200, blank=True, editable=False)

    objects = LocationQuerySet.as_manager()

    # (field, label): the accessibility features, in the order pages list them.
    FEATURES = [
        ("step_free_access", "Step-free access"),
        ("accessible_toilet", "Accessible toilet"),
        ("hearing_loop", "Hearing loop"),
        ("parking", "Parking"),
    ]

    class Meta:
        ordering = ["name", "address_1"]
        indexes = [
            # "Near a postcode": the bounding-box prefilter on latitude then longitude.
            models.Index(fields=["latitude", "longitude"], name="directory_location_latlng_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__range=(-90, 90), longitude__range=(-180, 180)),
                name="directory_location_coordinates_valid",
            ),
            models.UniqueConstraint(
                fields=["source_feed", "source_id"],
                condition=Q(source_feed__isnull=False),
                name="directory_location_unique_source",
            ),
        ]

    def __str__(self):
        return ", ".join(p for p in (self.name, self.address_1, self.postcode) if p)

    def clean(self):
        try:
            self.postcode = normalise_postcode(self.postcode)
        except ValidationError:
            return  # the field validator reports it
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError("Give both latitude and longitude, or neither.")
        if self.latitude is None:
            found = Postcode.objects.filter(postcode=self.postcode).first()
            if found:
                self.latitude, self.longitude = found.latitude, found.longitude
        if self.area_id is None and self.postcode:
            self.area = area_for_postcode(self.postcode)

    @property
    def features(self) -> list[str]:
        """The accessibility features this place has, as pages name them."""
        return [label for field, label in self.FEATURES if getattr(self, field)]

    @property
    def address_lines(self):
        return [
            p for p in (self.name, self.address_1, self.address_2, self.town, self.postcode) if p
        ]


def area_for_postcode(postcode: str) -> Area | None:
    """The ward (or district) the ONS directory puts this postcode in, if we have that area."""
    found = Postcode.objects.filter(postcode=postcode).first()
    if not found:
        return None
    codes = [c for c in (found.ward_code, found.district_code) if c]
    return Area.objects.filter(ons_code__in=codes).order_by("-kind").first() if codes else None
