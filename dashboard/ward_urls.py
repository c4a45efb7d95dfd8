"""The ward matrix and each ward's records (mounted under /staff/wards/)."""

from django.urls import path

from dashboard import ward_views

app_name = "ward_matrix"

urlpatterns = [
    path("", ward_views.MatrixView.as_view(), name="matrix"),
    path("wards.csv", ward_views.MatrixCSVView.as_view(), name="csv"),
    path("<int:pk>/", ward_views.WardDetailView.as_view(), name="ward"),
]
