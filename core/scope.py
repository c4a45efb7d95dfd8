"""One access scope per request: which records a user may see, worked out once.

`scope_of(user)` reads the user's staff groups (one query) and, only for the roles that have
them, their memberships: a coordinator's hubs and a partner contact's organisations (one query
each). Officers and superusers see everything and need nothing more; anonymous and inactive
users see nothing and cost no query. The scope is cached on the user object, which Django makes
afresh for every request (as it caches permissions), so a membership added mid-request counts
from the next request.

core knows no hubs or organisations: the apps that own the membership models register how to
read them in their AppConfig.ready():

    from core.scope import register_scope_part
    register_scope_part("hub_ids", lambda user: user.hub_memberships.values_list(...))

Every `for_user()` queryset, the admin's scoping and the staff pages read this one scope.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from core.roles import COORDINATOR, OFFICER, PARTNER_CONTACT, STAFF_GROUPS

# Each membership kind, and the role without which a membership row grants nothing.
PART_ROLES = {
    "hub_ids": COORDINATOR,
    "organisation_ids": PARTNER_CONTACT,
}

_PARTS: dict[str, Callable[[object], Iterable[int]]] = {}

_CACHE_ATTR = "_access_scope"


@dataclass(frozen=True)
class Scope:
    """What one user may see. `everything` is for officers and superusers."""

    everything: bool = False
    groups: frozenset[str] = frozenset()
    hub_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()

    @property
    def is_officer(self) -> bool:
        return self.everything

    @property
    def is_coordinator(self) -> bool:
        return COORDINATOR in self.groups

    @property
    def is_partner_contact(self) -> bool:
        return PARTNER_CONTACT in self.groups

    def sees_hub(self, hub_id) -> bool:
        return self.everything or hub_id in self.hub_ids

    def sees_organisation(self, organisation_id) -> bool:
        return self.everything or organisation_id in self.organisation_ids


NOBODY = Scope()


def register_scope_part(name: str, lookup: Callable[[object], Iterable[int]]):
    """Let the app that owns a membership model say how to read a user's ids of that kind."""
    if name not in PART_ROLES:
        raise ValueError(f"Unknown scope part {name!r}; expected one of {sorted(PART_ROLES)}")
    _PARTS[name] = lookup
    return lookup


def scope_of(user) -> Scope:
    """The user's scope, computed on the first call in a request and cached on the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    groups = frozenset(user.groups.filter(name__in=STAFF_GROUPS).values_list("name", flat=True))
    everything = user.is_superuser or OFFICER in groups
    parts = {}
    if not everything:
        for name, role in PART_ROLES.items():
            if role in groups and name in _PARTS:
                parts[name] = frozenset(_PARTS[name](user))
    scope = Scope(everything=everything, groups=groups, **parts)
    setattr(user, _CACHE_ATTR, scope)
    return scope
