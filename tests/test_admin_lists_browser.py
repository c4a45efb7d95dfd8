"""Every main admin list shows its key columns on a 1280 px screen: the table ends inside
the viewport and its area does not scroll sideways, with long names in the rows (issue 25:
the KPI returns list hid Target, Rating and Submitted; the interests list hid "Waiting")."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.browser import DESKTOP, sign_in_page
from tests.factories import KpiFactory, KpiReturnFactory, OrganisationFactory, SuggestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "Befriending and practical support for older people living alone in the borough"
# Each list, and the columns the issue named as out of sight.
LISTS = {
    "partners_organisation": [],
    "partners_agreement": ["Annual value"],
    "partners_kpi": ["Target per quarter"],
    "partners_kpireturn": ["Target", "Rating", "Submitted"],
    "partners_grant": ["Amount awarded"],
    "hubs_engagement": [],
    "volunteering_interest": ["Waiting"],
    "directory_service": [],
    "directory_suggestion": [],
}

MEASURE = """() => {
  const table = document.querySelector('#result_list');
  const results = document.querySelector('#changelist .results');
  const headers = [...table.querySelectorAll('thead th')].map(th => ({
    text: th.innerText.replace(/^\\d+\\s*/, '').trim().toLowerCase(),
    right: th.getBoundingClientRect().right,
    shown: th.getBoundingClientRect().width > 0,
  }));
  return {
    right: table.getBoundingClientRect().right,
    viewport: window.innerWidth,
    scrolls: results.scrollWidth > results.clientWidth,
    page_scrolls: document.documentElement.scrollWidth > window.innerWidth,
    headers,
  };
}"""


def test_main_admin_lists_fit_a_1280_px_screen(live_server, page, client, demo):
    organisation = OrganisationFactory(name=f"{LONG} (community interest company)")
    kpi = KpiFactory(
        agreement__organisation=organisation, name=f"{LONG}: people supported each quarter"
    )
    KpiReturnFactory(kpi=kpi, value=Decimal("4416.50"))
    SuggestionFactory(organisation_name=organisation.name, name=LONG)
    page.set_viewport_size(DESKTOP)
    sign_in_page(page, client, live_server, "officer")

    for model, named in LISTS.items():
        response = page.goto(live_server.url + reverse(f"admin:{model}_changelist"))
        assert response.status == 200, model
        found = page.evaluate(MEASURE)
        assert found["right"] <= found["viewport"], (model, found["right"])
        assert not found["scrolls"], f"{model}: the list scrolls sideways"
        assert not found["page_scrolls"], f"{model}: the page scrolls sideways"
        headers = {h["text"]: h for h in found["headers"]}
        for column in named:
            header = headers.get(column.lower())
            assert header is not None, (model, column, list(headers))
            assert header["shown"] and header["right"] <= found["viewport"], (model, column)
