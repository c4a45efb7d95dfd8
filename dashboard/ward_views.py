"""The ward matrix (/staff/wards/): need beside provision for each ward a user looks after,
its CSV download, its choropleth, and each ward's page listing the records behind its figures.

Officers see every ward; coordinators their hubs' wards; partner contacts the wards their
organisations serve under a live KPI-funded agreement (dashboard.wards.wards_for). Another
ward's page is a 404.
"""

import csv
import datetime

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from core.csvfiles import safe_cell
from core.forms import GovUKForm
from core.staff import StaffPermissionRequiredMixin
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
        return super().get_context_data(
            form=form,
            matrix=matrix,
            headers=headers,
            cells=[
                {"row": row, "cells": [(c, row.get(c.key)) for c in matrix.columns]}
                for row in matrix.rows
            ],
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
