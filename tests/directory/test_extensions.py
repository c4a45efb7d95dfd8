"""The directory's search-panel extension point: higher apps add to results unseen by it."""

import pytest

from directory.extensions import register_search_panel, unregister_search_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel():
    calls = []

    def show_search(request, search):
        calls.append(search)
        if search.get("q") == "nothing":
            return None
        return "tests/search_panel.html", {"words": search.get("q")}

    register_search_panel(show_search)
    yield calls
    unregister_search_panel(show_search)


def test_a_registered_panel_gets_the_validated_search_and_renders_below_results(client, panel):
    html = client.get("/directory/", {"q": "food bank", "age": "30"}).content.decode()

    assert '<p class="test-panel">Panel for food bank</p>' in html
    assert html.index("test-panel") > html.index('id="results-heading"')
    assert panel[0]["q"] == "food bank"
    assert panel[0]["age"] == 30


def test_a_panel_with_nothing_to_show_adds_nothing(client, panel):
    html = client.get("/directory/", {"q": "nothing"}).content.decode()

    assert "test-panel" not in html
    assert len(panel) == 1


def test_panels_are_not_asked_when_the_search_is_invalid(client, panel):
    response = client.get("/directory/", {"age": "old"})

    assert response.status_code == 200
    assert panel == []


def test_registering_twice_shows_the_panel_once(client, panel):
    from directory import extensions

    count = extensions.registered_search_panels()
    register_search_panel(extensions._PANELS[-1])

    assert extensions.registered_search_panels() == count
