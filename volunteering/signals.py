"""Keep `Role.search_text` in step with what it copies from other rows (connected in apps.py)."""

from volunteering.models import Role
from volunteering.services import refresh_search_text


def skills_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """role.skills or skill.roles: added, removed or cleared."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            refresh_search_text(roles=Role.objects.filter(pk=instance.pk))
    elif action == "pre_clear":
        instance._search_role_ids = list(instance.roles.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove", "post_clear"):
        ids = pk_set if action != "post_clear" else instance._search_role_ids
        refresh_search_text(roles=Role.objects.filter(pk__in=ids))


def organisation_saved(sender, instance, created, raw=False, **kwargs):
    """A renamed organisation: its roles are found by the new name."""
    if not created and not raw:
        refresh_search_text(roles=Role.objects.filter(organisation=instance))


def skill_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw:
        refresh_search_text(roles=instance.roles.all())


def skill_deleting(sender, instance, **kwargs):
    # Deleting a skill removes it from its roles without an m2m signal.
    instance._search_role_ids = list(instance.roles.values_list("pk", flat=True))


def skill_deleted(sender, instance, **kwargs):
    refresh_search_text(roles=Role.objects.filter(pk__in=instance._search_role_ids))
