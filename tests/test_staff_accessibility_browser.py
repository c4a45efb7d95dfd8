"""Every staff and admin page, walked in real Chromium at 1280 and 375 px with axe-core
(WCAG 2.2 AA, target size included, and best practices): zero violations.

The pages come from the URL conf, as in tests/test_permission_matrix.py, so a new admin or
staff page is walked without touching this file: one page per URL pattern under /admin/ and
/staff/, filled with the persona's first record (changelists, change forms with their
inlines, add forms, history and delete confirmation pages, a version in the history), and
each changelist again with a filter applied. Only the pages the persona may open are
walked. Each page is checked at desktop width, then at phone width without reloading it.
One browser and one tab for the whole walk, on the demo data.
"""

import re
import time

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import get_resolver, resolve, reverse
from playwright.sync_api import Error as PlaywrightError

from tests.browser import AXE, DESKTOP, PHONE, sign_in_page
from tests.test_permission_matrix import _walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PERSONAS = ["officer", "coordinator", "partner"]
# Not pages: sign-out, the link to the public site, scripts, downloads and exports.
NOT_PAGES = re.compile(
    r"^admin:(logout|view_on_site|jsi18n|autocomplete)$|export|download|qrcode|[:_]csv$|360"
)


def pages_for(user):
    """One URL per admin and staff URL pattern that the user may open."""
    request = RequestFactory().get("/admin/")
    request.user = user
    urls = []
    for namespace, name, route in _walk(get_resolver().url_patterns):
        if not route.startswith(("admin/", "staff/")) or name is None:
            continue
        full_name = f"{namespace}:{name}" if namespace else name
        if NOT_PAGES.search(full_name):
            continue
        params = re.findall(r"<(?:\w+:)?(\w+)>|\(\[\^/\]\+\)", route)
        model = _model(route)
        if model is not None:
            url = _admin_page(request, full_name, name, model, takes_id=bool(params))
        elif not params:
            url = reverse(full_name)
        elif name == "app_list":
            url = reverse(full_name, args=["partners"])
        else:
            url = None  # a staff page about one record: its admin page is walked instead
        if url and _shows_a_page(url):
            urls.append(url)
    return urls


def _model(route):
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    try:
        return match and apps.get_model(*match.groups())
    except LookupError:  # admin/password_change/done/
        return None


def _admin_page(request, full_name, name, model, takes_id):
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return None
    obj = model_admin.get_queryset(request).order_by("pk").first()
    kind = name.rsplit("_", 1)[-1]
    allowed = {
        "add": model_admin.has_add_permission(request),
        "delete": obj is not None and model_admin.has_delete_permission(request, obj),
    }.get(kind, model_admin.has_view_or_change_permission(request, obj))
    if not allowed:
        return None
    if name.endswith("_simple_history"):
        if obj is None:
            return None
        version = model.history.filter(pk=obj.pk).values_list("history_id", flat=True).first()
        return version and reverse(full_name, args=[obj.pk, version])
    if not takes_id:
        return reverse(full_name)
    return obj and reverse(full_name, args=[obj.pk])


def _shows_a_page(url):
    """False for POST-only views (deactivate an account, lift a lock)."""
    view_class = getattr(resolve(url).func, "view_class", None)
    return view_class is None or hasattr(view_class, "get")


def _axe(page):
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations'], noHtml: true})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))})))",
        TAGS,
    )


def walk(page, live_server, urls):
    """{(rule, impact, help): [(width, url, first nodes)]}, pages opened, script errors."""
    found, opened, errors = {}, 0, []
    checking = []  # axe itself sets inline styles the CSP refuses: not the page's errors
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not checking
            and not m.text.startswith("Failed to load resource")
            and errors.append((page.url, m.text))
        ),
    )
    page.on("pageerror", lambda error: errors.append((page.url, str(error))))
    for url in urls:
        page.set_viewport_size(DESKTOP)
        try:
            response = page.goto(live_server.url + url)
        except PlaywrightError as error:  # an empty answer, such as a 405
            raise AssertionError(f"{url}: {error}") from error
        assert response.status < 500, url
        if response.status != 200 or "text/html" not in response.headers["content-type"]:
            continue
        opened += 1
        shown = [url]
        a_filter = page.locator("#changelist-filter li:not(.selected) a").first
        if a_filter.count():
            shown.append(url + a_filter.get_attribute("href"))
        for index, address in enumerate(shown):
            if index:
                page.set_viewport_size(DESKTOP)
                page.goto(live_server.url + address)
            for width, viewport in (("1280", DESKTOP), ("375", PHONE)):
                page.set_viewport_size(viewport)
                checking.append(True)
                for v in _axe(page):
                    key = (v["id"], v["impact"], v["help"])
                    found.setdefault(key, []).append((width, address, v["nodes"][:3]))
                checking.clear()
    return found, opened, errors


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_staff_page_passes_axe_at_both_widths(live_server, browser, client, demo, persona):
    started = time.monotonic()
    context = browser.new_context()
    context.add_init_script(path=AXE)
    page = context.new_page()
    sign_in_page(page, client, live_server, persona)
    urls = pages_for(User.objects.get(username=persona))

    found, opened, errors = walk(page, live_server, urls)

    report = []
    for (rule, impact, help_), where in sorted(found.items()):
        report.append(f"{rule} ({impact}): {help_}, {len(where)} times")
        report += [f"    {width} px {url}: {nodes}" for width, url, nodes in where[:8]]
    print(f"{persona}: {opened} of {len(urls)} pages, {time.monotonic() - started:.0f} s")
    print("\n".join(report))
    assert opened > 10
    assert found == {}, "\n".join(report)
    assert errors == []
