"""Panels on the home page that apps above core fill in their ready() (the directory's
"browse by category" tiles), so core imports none of them."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

_PANELS = []


def register_home_panel(panel):
    """`panel(request)` returns rendered HTML, (template name, context), or None."""
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def home_panels(request) -> list[SafeString]:
    rendered = []
    for panel in _PANELS:
        result = panel(request)
        if isinstance(result, SafeString):
            rendered.append(result)
        elif result:
            template_name, context = result
            rendered.append(render_to_string(template_name, context, request=request))
    return rendered
