"""Keep each service's copy of its organisation's and categories' names (for keyword search)
in step with saved changes; bulk writers call directory.services.refresh_search_text."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from directory.models import Service, TaxonomyTerm
from directory.services import refresh_search_text
from partners.models import Organisation


def _service_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_text(service_ids=[instance.pk])


def _categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if reverse and action == "pre_clear":  # a term is losing all its services: which ones
        instance._cleared_service_ids = list(instance.services.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh_search_text(service_ids=[instance.pk])
    elif action == "post_clear":
        refresh_search_text(service_ids=instance.__dict__.pop("_cleared_service_ids", []))
    else:
        refresh_search_text(service_ids=pk_set or [])


def _organisation_saved(sender, instance, created, raw=False, **kwargs):
    if not (raw or created):
        refresh_search_text(organisation_id=instance.pk)


def _term_saved(sender, instance, created, raw=False, **kwargs):
    if not (raw or created):
        refresh_search_text(term_id=instance.pk)


def _term_deleting(sender, instance, **kwargs):
    instance._service_ids = list(instance.services.values_list("pk", flat=True))


def _term_deleted(sender, instance, **kwargs):
    refresh_search_text(service_ids=getattr(instance, "_service_ids", []))


def connect() -> None:
    post_save.connect(_service_saved, sender=Service, dispatch_uid="search_text_service")
    m2m_changed.connect(
        _categories_changed, sender=Service.categories.through, dispatch_uid="search_text_cats"
    )
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="search_text_org")
    post_save.connect(_term_saved, sender=TaxonomyTerm, dispatch_uid="search_text_term")
    pre_delete.connect(_term_deleting, sender=TaxonomyTerm, dispatch_uid="search_text_term_del")
    post_delete.connect(_term_deleted, sender=TaxonomyTerm, dispatch_uid="search_text_term_gone")
