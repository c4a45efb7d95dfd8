from django.urls import path

from hubs import views

app_name = "hubs"

urlpatterns = [
    path("", views.HubListView.as_view(), name="list"),
    path("<slug:slug>/", views.HubDetailView.as_view(), name="detail"),
]
