"""Accessibility checks with axe-core (npm package, injected into the page)."""

import re
from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 375, "height": 812}
PHONE_390 = {"width": 390, "height": 844}  # a common phone width today
DESKTOP = {"width": 1280, "height": 900}
# An invalid form's page title (expect(page).to_have_title waits for the page to load).
ERROR_TITLE = re.compile(r"^Error: ?")


def axe_violations(page):
    """Run axe-core with the WCAG 2.2 AA rules on the current page; return its violations."""
    # A click that starts a navigation returns once the new page is committed, before it has
    # a document to check: wait for it to load.
    page.wait_for_load_state()
    # Evaluated through DevTools, so the page's strict CSP still applies to the page itself.
    page.evaluate(AXE.read_text())
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))})))",
        WCAG_22_AA,
    )


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in violations
    )


def sign_in_page(page, client, live_server, username):
    """Sign the browser in as `username` with the test client's session cookie."""
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username=username))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def fits_the_screen(page) -> bool:
    page.wait_for_load_state()  # as in axe_violations
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
