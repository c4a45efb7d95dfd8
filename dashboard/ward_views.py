"""The ward matrix (/staff/wards/): need beside provision for each ward a user looks after,
its CSV download, its choropleth, and each ward's page listing the records behind its figures.

Officers see every ward; coordinators their hubs' wards; partner contacts the wards their
organisations serve under a live KPI-funded agreement (dashboard.wards.wards_for). Another
ward's page is a 404.
"""

import csv
import datetime
from html import escape

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from core.csvfiles import safe_cell
from core.forms import GovUKForm
from core.staff import StaffPermissionRequiredMixin
from core.templatetags.govuk import cell
from dashboard import wardmap
from dashboard.ward_records import records_behind
from dashboard.wards import (
    PROVISION,
    build_matrix,
    sort_rows,
    wards_for,
)
from directory.models import Area, TaxonomyTerm

PERMISSION = "wards.view_wardfigure"
DEFAULT_MAP = "services_per_1000"


class MatrixFilterForm(GovUKForm):
    town = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        required=False,
        empty_label="All towns",
        error_messages={"invalid_choice": "Choose a town from the list"},
    )
    category = forms.ModelChoiceField(
        queryset=TaxonomyTerm.objects.order_by("name"),
        required=False,
        empty_label="All categories",
        help_text="Counts only the services in this category",
        error_messages={"invalid_choice": "Choose a category from the list"},
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    order = forms.ChoiceField(
        choices=[("asc", "asc"), ("desc", "desc")], required=False, widget=forms.HiddenInput
    )
    map = forms.CharField(label="Colour the map by", required=False)

    def __init__(self, *args, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns


class MatrixMixin(StaffPermissionRequiredMixin):
    permission_required = PERMISSION

    def matrix(self):
        user = self.request.user
        wards = wards_for(user)
        towns = Area.objects.filter(children__in=wards).distinct().order_by("name")
        form = MatrixFilterForm(self.request.GET or None, towns=towns)
        data = form.cleaned_data if form.is_valid() else {}
        if data.get("town"):
            wards = wards.filter(parent=data["town"])
        today = timezone.localdate()
        matrix = build_matrix(wards, today=today, category=data.get("category"))
        keys = {"ward", "town"} | {c.key for c in matrix.columns}
        sort = data.get("sort") if data.get("sort") in keys else "ward"
        descending = data.get("order") == "desc"
        matrix.rows = sort_rows(matrix.rows, sort, descending)
        map_key = data.get("map") if matrix.column(data.get("map") or "") else DEFAULT_MAP
        return form, matrix, sort, descending, map_key, today


# The table's rows are written here rather than in template loops: at 1,000 wards the loops
# ({% url %} and a filter in each of 14,000 cells) took most of the page's time
# (bench/wards.py). Every value is escaped (html.escape, as Django's escape does, faster).
_NO_FIGURE = (
    '<td class="govuk-table__cell govuk-table__cell--numeric">'
    '<span class="govuk-visually-hidden">No figure</span><span aria-hidden="true">–</span></td>'
)
_FLAG = '<br><strong class="govuk-tag govuk-tag--red">High need, low provision</strong>'
_PK = 2_147_483_647  # stands in for a ward's id in its reversed URL


def matrix_rows_html(matrix, category=None) -> str:
    """A <tr> for each row of the matrix, each figure linking to the records behind it."""
    pattern = reverse("ward_matrix:ward", args=[_PK])
    query = f"?category={category.pk}" if category else ""
    columns = [(c.key, escape(c.section), escape(c.label)) for c in matrix.columns]
    rows = []
    for row in matrix.rows:
        ward = row["ward"]
        name = escape(ward.name)
        url = escape(pattern.replace(str(_PK), str(ward.pk)) + query)
        cells = "".join(
            _NO_FIGURE
            if (value := row.get(key)) is None
            else '<td class="govuk-table__cell govuk-table__cell--numeric">'
            f'<a class="govuk-link" href="{url}#{section}">{escape(str(cell(value)))}'
            f'<span class="govuk-visually-hidden">, {label}, {name}</span></a></td>'
            for key, section, label in columns
        )
        town = f'<br><span class="govuk-body-s">{escape(row["town"])}</span>' if row["town"] else ""
        rows.append(
            f'<tr class="govuk-table__row{" cc-flagged" if row["flagged"] else ""}">'
            f'<th scope="row" class="govuk-table__header"><a class="govuk-link" href="{url}">'
            f"{name}</a>{town}{_FLAG if row['flagged'] else ''}</th>{cells}</tr>\n"
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


def map_html(map_wards) -> tuple[str, str]:
    """The map's <path>s and its table's rows, for the wards drawn (escaped as the rows are)."""
    paths, table = [], []
    for w in map_wards or []:
        name = escape(w.ward.name)
        shown = escape(str("no figure" if w.value is None else cell(w.value)))
        band = f"cc-map__band-{w.band}" if w.band else "cc-map__none"
        paths.append(
            f'<path class="cc-map__ward {band}" d="{escape(w.path)}"><title>{name}: {shown}'
            "</title></path>"
        )
        table.append(
            f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{name}</th>'
            '<td class="govuk-table__cell govuk-table__cell--numeric">'
            f"{'No figure' if w.value is None else shown}</td></tr>"
        )
    return mark_safe("".join(paths)), mark_safe("".join(table))  # noqa: S308 - escaped


class MatrixView(MatrixMixin, TemplateView):
    template_name = "dashboard/wards.html"

    def get_context_data(self, **kwargs):
        form, matrix, sort, descending, map_key, today = self.matrix()
        headers = []
        for column in [None, *matrix.columns]:
            key = column.key if column else "ward"
            # A number's first click shows the largest first; a name's, A to Z.
            next_desc = not descending if key == sort else key != "ward"
            headers.append(
                {
                    "column": column,
                    "key": key,
                    "label": column.label if column else "Ward",
                    "sorted": key == sort,
                    "aria_sort": ("descending" if descending else "ascending")
                    if key == sort
                    else "none",
                    "next_order": "desc" if next_desc else "asc",
                }
            )
        drawn = wardmap.choropleth(matrix.rows, map_key)
        map_column = matrix.column(map_key)
        map_paths, map_table = map_html(drawn[0] if drawn else None)
        return super().get_context_data(
            form=form,
            matrix=matrix,
            headers=headers,
            rows_html=matrix_rows_html(matrix, getattr(form, "cleaned_data", {}).get("category")),
            map_paths=map_paths,
            map_table=map_table,
            need_span=len(matrix.columns) - len(PROVISION),
            provision_span=len(PROVISION),
            flagged=sum(1 for r in matrix.rows if r["flagged"]),
            map_column=map_column,
            map_wards=drawn[0] if drawn else None,
            map_height=drawn[1] if drawn else 0,
            map_key_bands=drawn[2] if drawn else [],
            map_choices=[(c.key, c.label) for c in matrix.columns],
            today=today,
            can_upload=self.request.user.has_perm("wards.add_wardfigure"),
            query=self.request.GET.urlencode(),
            **kwargs,
        )


class MatrixCSVView(MatrixMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        form, matrix, *_, today = self.matrix()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"ward-matrix-{today:%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        writer = csv.writer(response)
        writer.writerow(["Ward", "ONS code", "Town", *[c.label for c in matrix.columns], "Flagged"])
        for row in matrix.rows:
            ward = row["ward"]
            writer.writerow(
                [safe_cell(v) for v in (ward.name, ward.ons_code, row["town"])]
                + [row.get(c.key) if row.get(c.key) is not None else "" for c in matrix.columns]
                + ["yes" if row["flagged"] else "no"]
            )
        return response


class WardDetailView(MatrixMixin, TemplateView):
    template_name = "dashboard/ward_detail.html"

    def get_context_data(self, **kwargs):
        ward = get_object_or_404(
            wards_for(self.request.user).select_related("parent"), pk=kwargs["pk"]
        )
        today = timezone.localdate()
        category = None
        raw = self.request.GET.get("category", "")
        if raw.isdigit() and len(raw) < 12:
            category = TaxonomyTerm.objects.filter(pk=int(raw)).first()
        return super().get_context_data(
            ward=ward,
            category=category,
            records=records_behind(ward, user=self.request.user, today=today, category=category),
            since=today - datetime.timedelta(days=91),
            **kwargs,
        )
