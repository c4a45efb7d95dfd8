from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from two_factor.urls import urlpatterns as two_factor_urls

from accounts import signin
from accounts import views as accounts
from core import views
from dashboard.views import DashboardView
from directory import api_views
from hubs.views import AssetMapView
from partners.views import ReturnDetailView, ReturnsView

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accessibility/", views.statement_view("/accessibility/"), name="accessibility"),
    path("privacy/", views.statement_view("/privacy/"), name="privacy"),
    path("hubs/", include("hubs.urls")),
    # The staff dashboard: the first page after sign-in.
    path("staff/", DashboardView.as_view(), name="dashboard"),
    path("staff/hubs/", include("hubs.staff_urls")),
    # Need beside provision for each ward, with its map; officers upload the figures.
    path("staff/wards/", include("dashboard.ward_urls")),
    path("staff/wards/upload/", include("wards.staff_urls")),
    path("staff/accounts/", include("accounts.urls")),
    # Hubs and the directory's places on one map; in hubs, which sees both.
    path("directory/map/", AssetMapView.as_view(), name="asset_map"),
    path("directory/", include("directory.urls")),
    path("staff/directory/", include("directory.staff_urls")),
    # Open Referral UK (HSDS-UK 3.0) read API for other councils' and NHS systems.
    path("api/oruk/", include("directory.api_urls")),
    # The base URL as clients are given it: answered here (with CORS), not redirected.
    path("api/oruk", api_views.root, name="oruk_base"),
    path("volunteer/", include("volunteering.urls")),
    path("staff/volunteering/", include("volunteering.staff_urls")),
    # KPI returns to submit, pre-filled from the records, with reminders (partner contacts).
    path("staff/returns/", ReturnsView.as_view(), name="kpi_returns"),
    path("staff/returns/<int:pk>/", ReturnDetailView.as_view(), name="kpi_return"),
    path("admin/", admin.site.urls),
    # Staff sign-in with a second factor: account/login/, account/two_factor/setup/, ...
    # The first three are the package's views with our phone-friendly fields and links.
    path("account/login/", signin.LoginView.as_view()),
    path("account/two_factor/setup/", signin.SetupView.as_view()),
    path("account/two_factor/qrcode/", signin.QRGeneratorView.as_view()),
    path("", include(two_factor_urls)),
    path("account/sign-out/", signin.SignOutView.as_view(), name="sign_out"),
    # Django's, limited per client IP and per email address (accounts/views.py).
    path("account/password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "account/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "account/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "account/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

handler400 = "core.views.bad_request"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
