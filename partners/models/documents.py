"""Files attached to agreements."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from partners import documents
from partners.models.agreements import Agreement, AgreementChildQuerySet


class Document(models.Model):
    """A file on an agreement. Stored under a random name; only staff can download it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=documents.upload_to, max_length=200)
    original_name = models.CharField(max_length=255, editable=False)
    size = models.PositiveIntegerField(editable=False, default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = AgreementChildQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "-uploaded_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.original_name = PurePath(self.file.name).name[:255]
            self.size = self.file.size
        super().save(*args, **kwargs)

    def clean(self):
        if self.file and not self.file._committed:  # a new upload
            try:
                documents.validate(self.file)
            except ValidationError as exc:
                raise ValidationError({"file": exc}) from exc

    def delete(self, *args, **kwargs):
        name, storage = self.file.name, self.file.storage
        result = super().delete(*args, **kwargs)
        if name:
            transaction.on_commit(lambda: storage.delete(name))
        return result
