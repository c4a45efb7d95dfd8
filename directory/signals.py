"""Keep what services copy from related records in step with saved changes: the names keyword
search reads (refresh_search_text) and the ORUK last_modified (touch_services). Bulk writers
call those services themselves."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from core.cache import bump
from directory.models import (
    Area,
    BankHoliday,
    Location,
    Schedule,
    SearchSynonym,
    Service,
    TaxonomyTerm,
)
from directory.services import refresh_search_text, touch_services
from partners.models import Organisation


def _service_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_text(service_ids=[instance.pk])


def _links_changed(instance, action, reverse, pk_set, *, search):
    """A service's categories or places changed (from either side): which services."""
    if reverse and action == "pre_clear":  # a term or place is losing all its services
        instance._cleared_service_ids = list(instance.services.values_list("pk", flat=True))
        return None
    if action not in ("post_add", "post_remove", "post_clear"):
        return None
    if not reverse:
        ids = [instance.pk]
    elif action == "post_clear":
        ids = instance.__dict__.pop("_cleared_service_ids", [])
    else:
        ids = list(pk_set or [])
    if search:
        refresh_search_text(service_ids=ids)
    touch_services(service_ids=ids)
    return ids


def _categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    _links_changed(instance, action, reverse, pk_set, search=True)


def _locations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    _links_changed(instance, action, reverse, pk_set, search=False)


def _organisation_saved(sender, instance, created, raw=False, **kwargs):
    if not (raw or created):
        refresh_search_text(organisation_id=instance.pk)
        touch_services(organisation_id=instance.pk)


def _term_saved(sender, instance, created, raw=False, **kwargs):
    if created:
        bump()  # a new category in the search filters
    elif not raw:
        refresh_search_text(term_id=instance.pk)
        touch_services(term_id=instance.pk)


def _linked_deleting(sender, instance, **kwargs):
    instance._service_ids = list(instance.services.values_list("pk", flat=True))


def _term_deleted(sender, instance, **kwargs):
    refresh_search_text(service_ids=getattr(instance, "_service_ids", []))
    touch_services(service_ids=getattr(instance, "_service_ids", []))


def _location_saved(sender, instance, created, raw=False, **kwargs):
    if not (raw or created):
        touch_services(location_id=instance.pk)


def _location_deleted(sender, instance, **kwargs):
    touch_services(service_ids=getattr(instance, "_service_ids", []))


def _schedule_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        touch_services(service_ids=[instance.service_id])


def connect() -> None:
    post_save.connect(_service_saved, sender=Service, dispatch_uid="search_text_service")
    m2m_changed.connect(
        _categories_changed, sender=Service.categories.through, dispatch_uid="search_text_cats"
    )
    m2m_changed.connect(
        _locations_changed, sender=Service.locations.through, dispatch_uid="changed_places"
    )
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="search_text_org")
    post_save.connect(_term_saved, sender=TaxonomyTerm, dispatch_uid="search_text_term")
    pre_delete.connect(_linked_deleting, sender=TaxonomyTerm, dispatch_uid="search_text_term_del")
    post_delete.connect(_term_deleted, sender=TaxonomyTerm, dispatch_uid="search_text_term_gone")
    post_save.connect(_location_saved, sender=Location, dispatch_uid="changed_place")
    pre_delete.connect(_linked_deleting, sender=Location, dispatch_uid="changed_place_deleting")
    post_delete.connect(_location_deleted, sender=Location, dispatch_uid="changed_place_gone")
    # Not on a schedule's deletion: a receiver there would make every bulk delete of schedules
    # (imports) one query per row. Times are deleted in the admin's service form, which saves
    # the service, and by imports, which set last_modified themselves.
    post_save.connect(_schedule_changed, sender=Schedule, dispatch_uid="changed_times")
    # Public pages show these too; every other change reaches them through the services
    # above (refresh_search_text and touch_services bump the version key, core.cache).
    post_delete.connect(bump, sender=Service, dispatch_uid="public-version-service-gone")
    post_save.connect(bump, sender=Area, dispatch_uid="public-version-area")
    post_delete.connect(bump, sender=Area, dispatch_uid="public-version-area-gone")
    post_delete.connect(bump, sender=SearchSynonym, dispatch_uid="public-version-synonym-gone")
    # "Open now" leaves out sessions closed on bank holidays.
    post_save.connect(bump, sender=BankHoliday, dispatch_uid="public-version-bank-holiday")
    post_delete.connect(bump, sender=BankHoliday, dispatch_uid="public-version-bank-holiday-gone")
    m2m_changed.connect(
        bump, sender=Area.organisations.through, dispatch_uid="public-version-areas-served"
    )
