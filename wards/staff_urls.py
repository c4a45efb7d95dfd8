"""Officers' uploads of ward figures and boundaries (mounted under /staff/wards/upload/)."""

from django.urls import path

from wards import views

app_name = "wards_staff"

urlpatterns = [
    path("figures/", views.FiguresUploadView.as_view(), name="upload_figures"),
    path("boundaries/", views.BoundariesUploadView.as_view(), name="upload_boundaries"),
]
