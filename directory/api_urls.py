"""Open Referral UK API, mounted at /api/oruk/. Paths are the standard's (no trailing slash;
one is tolerated), so a base URL of https://<host>/api/oruk works with ORUK clients."""

from django.urls import path, re_path

from directory import api_views

app_name = "oruk"


def _endpoint(name, view, detail_view=None):
    patterns = [re_path(rf"^{name}/?$", view, name=name)]
    if detail_view:
        patterns.append(re_path(rf"^{name}/(?P<id>[^/]+)/?$", detail_view, name=f"{name}_detail"))
    return patterns


urlpatterns = [
    path("", api_views.root, name="root"),
    path("openapi.json", api_views.openapi, name="openapi"),
    *_endpoint("services", api_views.services, api_views.service_detail),
    *_endpoint(
        "service_at_locations",
        api_views.service_at_locations,
        api_views.service_at_location_detail,
    ),
    *_endpoint("organizations", api_views.organizations, api_views.organization_detail),
    *_endpoint("taxonomies", api_views.taxonomies, api_views.taxonomy_detail),
    *_endpoint("taxonomy_terms", api_views.taxonomy_terms, api_views.taxonomy_term_detail),
    # Extension: not in ORUK 3.0.
    *_endpoint("locations", api_views.locations, api_views.location_detail),
    re_path(r"^(?P<path>.*)$", api_views.not_found, name="not_found"),
]
