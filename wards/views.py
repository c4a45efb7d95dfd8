"""Officers' upload pages for ward figures and boundaries (under /staff/wards/upload/)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView

from core.onetime import OneTimeFormMixin
from core.staff import StaffPermissionRequiredMixin
from wards import services
from wards.forms import BoundariesUploadForm, FiguresUploadForm
from wards.uploads import LSOA_COLUMNS, WARD_COLUMNS


class FiguresUploadView(StaffPermissionRequiredMixin, OneTimeFormMixin, FormView):
    permission_required = "wards.add_wardfigure"
    template_name = "wards/upload_figures.html"
    form_class = FiguresUploadForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            ward_columns=WARD_COLUMNS, lsoa_columns=LSOA_COLUMNS, **kwargs
        )

    def form_valid(self, form):
        data, parsed = form.cleaned_data, form.parsed
        indicator = services.save_figures(
            user=self.request.user,
            name=data["name"],
            kind=data["kind"],
            source=data["source"],
            year=data["year"],
            values=parsed.values,
            higher_is_need=data["higher_is_need"],
            from_lsoas=parsed.from_lsoas,
        )
        how = (
            f" (averaged from {parsed.rows - parsed.skipped:,} LSOAs)" if parsed.from_lsoas else ""
        )
        skipped = f"; {parsed.skipped:,} rows for other wards left out" if parsed.skipped else ""
        message = f"Saved {indicator} for {len(parsed.values):,} wards{how}{skipped}."
        messages.success(self.request, message)
        self.once_saved(message=f"This file was already saved: {message}")
        return redirect("ward_matrix:matrix")


class BoundariesUploadView(StaffPermissionRequiredMixin, OneTimeFormMixin, FormView):
    permission_required = "wards.add_wardboundary"
    template_name = "wards/upload_boundaries.html"
    form_class = BoundariesUploadForm

    def form_valid(self, form):
        data, parsed = form.cleaned_data, form.parsed
        count = services.save_boundaries(
            user=self.request.user,
            geometries=parsed.geometries,
            source=data["source"],
            year=data["year"],
        )
        skipped = f"; {parsed.skipped:,} other wards left out" if parsed.skipped else ""
        message = f"Saved the boundaries of {count:,} wards{skipped}."
        messages.success(self.request, message)
        self.once_saved(message=f"This file was already saved: {message}")
        return redirect("ward_matrix:matrix")
