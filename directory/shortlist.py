"""A shortlist of services, with no account: kept in a signed cookie on this device, shared as
a link that carries the services' ids, and printed on one or two sheets of A4.

A resident or a frontline worker (link worker, librarian, hub coordinator) adds services from
their pages, then shares or prints the list. The cookie holds only public ids of published
listings, nothing about the person, so it needs no account, session or database row. Any
cookie makes public pages skip the page cache (core.cache), so only people with a
shortlist pay for seeing it there.
"""

import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from directory.models import Schedule, Service

COOKIE = "shortlist"
SALT = "directory.shortlist"
MOST = 20  # services on one list: a longer list would not print on two pages anyway
KEEP_DAYS = 30


class BadShortlist(ValueError):
    """A shortlist link or form value that is not a list of service ids."""


def parse_ids(text: str) -> list[uuid.UUID]:
    """The service ids in `text` (comma-separated), in order, without repeats."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) > MOST:
        raise BadShortlist(f"A shortlist can hold up to {MOST} services.")
    ids = []
    for part in parts:
        try:
            ids.append(uuid.UUID(part) if len(part) <= 36 else None)
        except ValueError:
            ids.append(None)
        if ids[-1] is None:
            raise BadShortlist(
                "This shortlist link is not complete. Check that all of it was copied, "
                "or ask the person who sent it for the link again."
            )
    return list(dict.fromkeys(ids))


def read(request) -> list[uuid.UUID]:
    """This device's shortlist; a cookie that is not ours (or was changed) counts as empty."""
    value = request.get_signed_cookie(COOKIE, default="", salt=SALT)
    try:
        return parse_ids(value)
    except BadShortlist:
        return []


def _saved(response, ids):
    if ids:
        response.set_signed_cookie(
            COOKIE,
            ",".join(str(i) for i in ids),
            salt=SALT,
            max_age=KEEP_DAYS * 24 * 3600,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response


def listed(ids) -> tuple[list[Service], int]:
    """The published services among `ids`, in that order, with what a printed list shows;
    and how many of the ids are no longer listed. Three queries."""
    found = {
        service.uuid: service
        for service in Service.objects.published()
        .filter(uuid__in=ids)
        .select_related("organisation")
        .prefetch_related(
            "locations",
            Prefetch(
                "schedules",
                queryset=Schedule.objects.select_related("location").order_by(
                    "weekday", "opens_at"
                ),
            ),
        )
    }
    services = [found[i] for i in ids if i in found]
    return services, len(ids) - len(services)


def share_url(request, ids) -> str:
    query = urlencode({"services": ",".join(str(i) for i in ids)}, safe=",")
    return request.build_absolute_uri(f"{reverse('directory:shared_shortlist')}?{query}")


class ShortlistView(TemplateView):
    """This device's shortlist: share, print, remove."""

    template_name = "directory/shortlist.html"
    own = True

    def ids(self):
        return read(self.request)

    def get(self, request, *args, **kwargs):
        try:
            ids = self.ids()
        except BadShortlist as error:
            return _bad(request, str(error))
        self.services, self.gone = listed(ids)
        if not self.own and not self.services:
            message = "The services on this shortlist are no longer listed."
            return _bad(request, message, status=404)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ids = [service.uuid for service in self.services]
        return super().get_context_data(
            services=self.services,
            gone=self.gone,
            share_url=share_url(self.request, ids) if ids else "",
            most=MOST,
            keep_days=KEEP_DAYS,
            own=self.own,
            **kwargs,
        )


class SharedShortlistView(ShortlistView):
    """A shortlist someone shared as a link, read only, with a button to keep it."""

    own = False

    def ids(self):
        ids = parse_ids(self.request.GET.get("services", ""))
        if not ids:
            raise BadShortlist("This shortlist link has no services in it.")
        return ids


def _bad(request, message, status=400):
    return render(request, "directory/shortlist_problem.html", {"message": message}, status=status)


def _service_from_post(request):
    try:
        ids = parse_ids(request.POST.get("service", ""))
    except BadShortlist:
        ids = []
    if len(ids) != 1:
        return None
    return get_object_or_404(Service.objects.published(), uuid=ids[0])


def _back(request, fallback):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)


@require_POST
def add(request):
    """Add one published service to this device's shortlist."""
    service = _service_from_post(request)
    if service is None:
        return _bad(request, "We could not tell which service to add. Go back and try again.")
    ids = read(request)
    if service.uuid not in ids:
        if len(ids) >= MOST:
            return _bad(
                request,
                f"Your shortlist already has {MOST} services, the most it can hold. "
                "Remove one before adding another.",
            )
        ids.append(service.uuid)
    return _saved(_back(request, service.get_absolute_url()), ids)


@require_POST
def remove(request):
    """Take one service off this device's shortlist (also one no longer listed)."""
    try:
        gone = parse_ids(request.POST.get("service", ""))
    except BadShortlist:
        gone = []
    if len(gone) != 1:
        return _bad(request, "We could not tell which service to remove. Go back and try again.")
    ids = [i for i in read(request) if i != gone[0]]
    return _saved(_back(request, reverse("directory:shortlist")), ids)


@require_POST
def keep(request):
    """Keep a shared shortlist on this device: its services join this device's list."""
    try:
        shared = parse_ids(request.POST.get("services", ""))
    except BadShortlist as error:
        return _bad(request, str(error))
    services, _ = listed(shared)
    ids = list(dict.fromkeys([*read(request), *(s.uuid for s in services)]))[:MOST]
    return _saved(redirect("directory:shortlist"), ids)
