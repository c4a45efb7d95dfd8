"""Writes of ward figures and boundaries: all or nothing, by officers (or the system)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from wards.models import Indicator, WardBoundary, WardFigure


def _require(user, permission: str):
    # user None: the system (demo data, commands).
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied


@transaction.atomic
def save_figures(
    *,
    user,
    name: str,
    kind: str,
    source: str,
    year: int,
    values: dict[int, Decimal],
    higher_is_need: bool = True,
    from_lsoas: bool = False,
    made_up: bool = False,
) -> Indicator:
    """Save one indicator's figures per ward ({ward id: value}), replacing every figure an
    earlier upload of the same indicator and year had, so a corrected file is simply sent
    again. Raises ValidationError (nothing saved) or PermissionDenied."""
    _require(user, "wards.add_wardfigure")
    indicator = Indicator.objects.select_for_update().filter(
        kind=kind, name=name, year=year
    ).first() or Indicator(kind=kind, name=name, year=year)
    indicator.source = source
    indicator.higher_is_need = higher_is_need
    indicator.from_lsoas = from_lsoas
    indicator.made_up = made_up
    indicator.uploaded_by = user
    indicator.full_clean()
    indicator.save()
    indicator.figures.all().delete()
    WardFigure.objects.bulk_create(
        WardFigure(indicator=indicator, ward_id=ward_id, value=value)
        for ward_id, value in values.items()
    )
    return indicator


@transaction.atomic
def save_boundaries(
    *, user, geometries: dict[int, dict], source: str, year: int, made_up: bool = False
) -> int:
    """Save the outline of each ward given ({ward id: GeoJSON geometry}), replacing its
    earlier one; other wards keep theirs. Returns how many were saved."""
    _require(user, "wards.add_wardboundary")
    WardBoundary.objects.filter(ward_id__in=list(geometries)).delete()
    boundaries = [
        WardBoundary(ward_id=ward_id, geometry=geometry, source=source, year=year, made_up=made_up)
        for ward_id, geometry in geometries.items()
    ]
    for boundary in boundaries:
        boundary.full_clean(exclude=["ward"])  # the ward ids come from our own lookup
    WardBoundary.objects.bulk_create(boundaries)
    return len(boundaries)
