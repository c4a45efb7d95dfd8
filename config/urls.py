from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("directory/", include("directory.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
