from django.urls import path

from directory import feedback, shortlist, views

app_name = "directory"

urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    path("services/<uuid:uuid>/", views.ServiceDetailView.as_view(), name="service"),
    path("services/<uuid:uuid>/report/", views.ReportChangeView.as_view(), name="report"),
    path("services/<uuid:uuid>/feedback/", feedback.FeedbackView.as_view(), name="feedback"),
    path(
        "services/<uuid:uuid>/feedback/sent/",
        feedback.FeedbackSentView.as_view(),
        name="feedback_sent",
    ),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation"),
    path("shortlist/", shortlist.ShortlistView.as_view(), name="shortlist"),
    path("shortlist/shared/", shortlist.SharedShortlistView.as_view(), name="shared_shortlist"),
    path("shortlist/add/", shortlist.add, name="shortlist_add"),
    path("shortlist/remove/", shortlist.remove, name="shortlist_remove"),
    path("shortlist/keep/", shortlist.keep, name="shortlist_keep"),
    path("suggest/", views.SuggestView.as_view(), name="suggest"),
    path("suggest/sent/", views.SuggestionSentView.as_view(), name="suggestion_sent"),
]
