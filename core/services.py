"""Write helpers the apps' services share."""

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied


def save_children(
    *,
    parent,
    field: str,
    children: Iterable,
    deleted: Iterable = (),
    refusal: str,
    prepare: Callable | None = None,
) -> None:
    """Save a record's children as edited (an admin inline) and delete `deleted`.

    Raises PermissionDenied with `refusal`, before changing anything, for a saved child that
    belongs to another parent (a hand-made post naming someone else's row). `prepare(child)`
    fills in what the service decides, before the child is checked and saved."""
    children, deleted = list(children), list(deleted)
    parent_id = f"{field}_id"
    for child in [*children, *deleted]:
        if child.pk is not None and getattr(child, parent_id) != parent.pk:
            raise PermissionDenied(refusal)
    for child in deleted:
        child.delete()
    for child in children:
        setattr(child, field, parent)
        if prepare is not None:
            prepare(child)
        child.full_clean()
        child.save()
