"""The site's URLs plus one view that fails, to see the styled 500 page."""

from django.urls import path

from config.urls import handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [*urlpatterns, path("boom/", boom)]
