"""Extension point for the directory search results, so higher apps add to them without the
directory naming them.

An app above directory registers, in its AppConfig.ready():

    from directory.extensions import register_search_panel
    register_search_panel(my_panel)

where `my_panel(request, search)` gets the validated search (a dict: q, area, category, age, ...,
and `corrected`: the spelling-corrected words that joined the results, or "") and returns
`(template_name, context)`, its own rendered HTML (a SafeString: one it cached), or None.
Panels render below the results; each should cost at most one query.
"""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

_PANELS = []


def register_search_panel(panel):
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def unregister_search_panel(panel):
    if panel in _PANELS:
        _PANELS.remove(panel)


def registered_search_panels() -> int:
    return len(_PANELS)


def search_panels(request, search: dict):
    """Rendered HTML of every registered panel with something to show for this search."""
    rendered = []
    for panel in _PANELS:
        result = panel(request, search)
        if isinstance(result, SafeString):
            rendered.append(result)
        elif result:
            template_name, context = result
            rendered.append(render_to_string(template_name, context, request=request))
    return rendered
