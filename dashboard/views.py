"""The staff dashboard (/staff/): the whole picture on one page, the first page after sign-in.

Who sees what. Each section needs the view permission on the records behind it, and reads them
through the same `for_user()` querysets as the admin lists its figures link to:

- officers (and superusers): every section, for the whole borough;
- hub coordinators: hub engagements at their hubs only (they hold no permissions on partners,
  the directory or volunteering, so those sections, and their links, are not theirs);
- partner contacts: their organisations' agreements (KPI ratings, overdue returns, dates
  coming up) and volunteering (interests in their roles, their volunteers' hours);
- a staff account with none of these permissions goes to the admin index.

Every figure links to an admin list (or staff page) filtered to exactly the records counted,
so the list's count is the figure (the tests follow every link). Figures are aggregated in
the database: each function below runs one or two queries, whatever the data size.
"""

from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from core.scope import scope_of
from core.staff import StaffPermissionRequiredMixin
from dashboard.agreements import partner_section
from dashboard.coverage import directory_section
from dashboard.engagements import hub_section
from dashboard.figures import (
    DIRECTORY_PERMISSION,
    HOURS_PERMISSION,
    HUBS_PERMISSION,
    INTERESTS_PERMISSION,
    PARTNERS_PERMISSION,
    SECTION_PERMISSIONS,
)
from dashboard.volunteers import volunteering_section


def sections_for(user, today):
    """{section: its figures and tables}, for the sections this user may see."""
    sections = {}
    if user.has_perm(HUBS_PERMISSION):
        sections["hubs"] = hub_section(user, today)
    if user.has_perm(PARTNERS_PERMISSION):
        sections["partners"] = partner_section(user, today)
    if user.has_perm(DIRECTORY_PERMISSION):
        sections["directory"] = directory_section(user, today)
    if user.has_perm(INTERESTS_PERMISSION) or user.has_perm(HOURS_PERMISSION):
        sections["volunteering"] = volunteering_section(user, today)
    return sections


def linked_figures(sections):
    """Every Figure on the page that links somewhere (what the tests follow)."""
    for section in sections.values():
        if section.get("reminder"):
            yield section["reminder"]["figure"]
        for figure, _ in section.get("figures", []):
            yield figure
        for table in section.get("tables", []):
            yield from table.figures()


class DashboardView(StaffPermissionRequiredMixin, TemplateView):
    template_name = "dashboard/dashboard.html"
    permission_required = SECTION_PERMISSIONS

    def has_permission(self):
        user = self.request.user
        return any(user.has_perm(perm) for perm in self.get_permission_required())

    def handle_no_permission(self):
        # Signed in as staff, past the second factor, but nothing here is theirs.
        return redirect("admin:index")

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        sections = sections_for(self.request.user, today)
        return super().get_context_data(
            today=today,
            sections=sections,
            is_officer=scope_of(self.request.user).is_officer,
            **kwargs,
        )
