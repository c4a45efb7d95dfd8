from django.urls import path

from volunteering import views

app_name = "volunteering"

urlpatterns = [
    path("", views.RoleSearchView.as_view(), name="search"),
    path("roles/<int:pk>/", views.RoleDetailView.as_view(), name="role"),
    path("roles/<int:pk>/interest/", views.ExpressInterestView.as_view(), name="express_interest"),
    path("offer-help/", views.GeneralInterestView.as_view(), name="general_interest"),
    path("sent/", views.InterestSentView.as_view(), name="interest_sent"),
]
