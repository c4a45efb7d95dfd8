"""Coordinators' and officers' pages outside the admin (mounted under /staff/hubs/)."""

from django.urls import path

from hubs import views

app_name = "hubs_staff"

urlpatterns = [
    path("", views.StaffHomeView.as_view(), name="home"),
    path("log/", views.LogSessionView.as_view(), name="log"),
    path("sessions/<int:pk>/undo/", views.UndoSessionView.as_view(), name="undo"),
    path("reports/", views.ReportView.as_view(), name="reports"),
    path("reports/<slug:table>.csv", views.ReportExportView.as_view(), name="export"),
    path("import/", views.ImportView.as_view(), name="import"),
]
