import uuid

from django.db import models


class Organisation(models.Model):
    """A voluntary and community sector (VCS) organisation, public body or business."""

    class Kind(models.TextChoices):
        CHARITY = "charity", "Registered charity"
        CIO = "cio", "Charitable incorporated organisation (CIO)"
        CIC = "cic", "Community interest company (CIC)"
        COMMUNITY_GROUP = "community_group", "Community group"
        PUBLIC_BODY = "public_body", "Public body"
        BUSINESS = "business", "Business"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CHARITY)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField("active", default=True)
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
