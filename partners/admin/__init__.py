"""Staff admin for partners: what an officer uses day to day, and what a partner contact sees.

Every queryset goes through `for_user(user)`: a partner contact sees only their own
organisation's records, and another organisation's record is a 404 even by a guessed id.
Changes are audited by django-simple-history (History button, with revert).
"""

from partners.admin.agreements import (
    AgreementAdmin,
    DocumentInline,
    DueSoonFilter,
    KpiInline,
    ObjectiveInline,
    OutcomeFilter,
    OverdueFilter,
    RagFilter,
)
from partners.admin.base import PartnersAdminMixin, csv_response, rag_tag
from partners.admin.grants import GrantAdmin
from partners.admin.kpis import (
    KpiAdmin,
    KpiOverdueFilter,
    KpiReturnAdmin,
    KpiReturnInline,
    RatingFilter,
)
from partners.admin.organisations import (
    ContactInline,
    MembershipInline,
    OrganisationAdmin,
    PolicyOutcomeAdmin,
)

__all__ = [
    "rag_tag",
    "csv_response",
    "PartnersAdminMixin",
    "ContactInline",
    "MembershipInline",
    "OrganisationAdmin",
    "PolicyOutcomeAdmin",
    "ObjectiveInline",
    "KpiInline",
    "DocumentInline",
    "OutcomeFilter",
    "OverdueFilter",
    "DueSoonFilter",
    "RagFilter",
    "AgreementAdmin",
    "KpiReturnInline",
    "KpiOverdueFilter",
    "KpiAdmin",
    "RatingFilter",
    "KpiReturnAdmin",
    "GrantAdmin",
]
