"""Staff admin for volunteering: roles, the interest pipeline, hours, and personal data requests.

Officers see everything. A partner contact sees only their own organisations' roles, the
interests in those roles and those volunteers' hours: scoped in the queryset, the foreign-key
choices and on save, and another organisation's record is a 404 even by a guessed id.
Pipeline moves, hours and erasure go through volunteering.services.
"""

from volunteering.admin.base import ScopedMixin
from volunteering.admin.erasure import ErasureRecordAdmin
from volunteering.admin.hours import ConfirmedFilter, HoursAdminForm, VolunteerHoursAdmin
from volunteering.admin.interests import (
    FlagFilter,
    HoursInline,
    InterestAdmin,
    InterestAdminForm,
    InterestEventInline,
    KindFilter,
)
from volunteering.admin.roles import RoleAdmin, SkillAdmin

__all__ = [
    "ScopedMixin",
    "SkillAdmin",
    "RoleAdmin",
    "FlagFilter",
    "KindFilter",
    "InterestEventInline",
    "HoursInline",
    "InterestAdminForm",
    "InterestAdmin",
    "HoursAdminForm",
    "ConfirmedFilter",
    "VolunteerHoursAdmin",
    "ErasureRecordAdmin",
]
