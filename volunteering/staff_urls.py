"""Officers' and partner contacts' pages outside the admin (mounted under /staff/volunteering/)."""

from django.urls import path

from volunteering import views

app_name = "volunteering_staff"

urlpatterns = [
    path("hours/", views.HoursReportView.as_view(), name="hours_report"),
    path("hours/<slug:table>.csv", views.HoursReportExportView.as_view(), name="hours_export"),
]
