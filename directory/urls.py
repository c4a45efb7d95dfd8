from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    path("services/<uuid:uuid>/", views.ServiceDetailView.as_view(), name="service"),
    path("services/<uuid:uuid>/report/", views.ReportChangeView.as_view(), name="report"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("suggest/", views.SuggestView.as_view(), name="suggest"),
    path("suggest/sent/", views.SuggestionSentView.as_view(), name="suggestion_sent"),
]
