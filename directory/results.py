"""What the results page says about a search, apart from the results: the filters applied
(each with a link that removes it), the page title, and the way back to the results from a
service page."""

from urllib.parse import urlsplit

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

# Not filters: the words are in the results heading, the page is the page.
NOT_FILTERS = {"q", "page"}
MAX_BACK_URL = 2000


def applied_filters(form, query: QueryDict) -> list[dict]:
    """[{"label": "Cost: Free", "remove_url": "?q=food&day=2"}, ...] for a valid search form:
    one entry per chosen value of every filter, in the form's order. Removing one keeps the
    rest of the search and goes back to the first page."""
    applied = []
    for name, field in form.fields.items():
        if name in NOT_FILTERS or name not in query:
            continue
        values = [v for v in query.getlist(name) if v.strip()]
        labels = {str(k): str(v) for k, v in getattr(field, "choices", ()) or ()}
        cleaned = form.cleaned_data.get(name)
        for value in values:
            # A postcode as the form tidied it ("SS14 1DL"), a choice by its label.
            shown = labels.get(value) or (cleaned if isinstance(cleaned, str) else value)
            if not shown or (name == "distance" and not query.get("postcode", "").strip()):
                continue  # a distance without a postcode does nothing
            label = str(field.label)
            if not shown.lower().startswith(label.lower()):
                shown = f"{label}: {shown}"
            rest = query.copy()
            rest.setlist(name, [v for v in values if v != value])
            rest.pop("page", None)
            applied.append({"label": shown, "remove_url": _search_url(rest), "name": name})
    return applied


def _search_url(query: QueryDict) -> str:
    kept = QueryDict(mutable=True)
    for key, values in query.lists():
        values = [v for v in values if v]
        if values:
            kept.setlist(key, values)
    encoded = kept.urlencode()
    return reverse("directory:search") + (f"?{encoded}" if encoded else "")


def back_to_results(request) -> str:
    """The search page this visitor came from, with their words and filters, or "" when they
    did not come from one. Read from the Referer header, which browsers send within the site
    (the referrer policy sends the full address to our own pages): a card is the same for
    every search (directory.cards), so its link cannot carry the query."""
    referer = request.headers.get("Referer", "")
    if not referer or len(referer) > MAX_BACK_URL:
        return ""
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(referer)
    if parts.netloc != request.get_host() or parts.path != reverse("directory:search"):
        return ""
    query = QueryDict(parts.query).urlencode()  # re-encoded: only what a search reads
    return reverse("directory:search") + (f"?{query}" if query else "")
