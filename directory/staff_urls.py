"""Officers' directory pages outside the admin (mounted under /staff/directory/)."""

from django.urls import path

from directory import moderation

app_name = "directory_staff"

urlpatterns = [
    path("suggestions/", moderation.QueueView.as_view(), name="queue"),
    path(
        "suggestions/<int:pk>/approve/",
        moderation.DecideView.as_view(decision="approve"),
        name="approve",
    ),
    path(
        "suggestions/<int:pk>/reject/",
        moderation.DecideView.as_view(decision="reject"),
        name="reject",
    ),
]
