from django.conf import settings
from django.urls import NoReverseMatch, reverse

# (url name, link text): a section appears in the navigation once its app provides the URL.
NAVIGATION = [
    ("directory:search", "Find services"),
    ("hubs:list", "Community hubs"),
    ("volunteering:search", "Volunteer"),
]


def _nav_items(path):
    items = []
    for name, text in NAVIGATION:
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"href": href, "text": text, "current": path.startswith(href)})
    return items


def site(request):
    """Branding, phase banner and navigation for every template."""
    return {
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "SITE_NAME": settings.SITE_NAME,
        "PHASE_BANNER": settings.PHASE_BANNER,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        "nav_items": _nav_items(request.path),
    }
