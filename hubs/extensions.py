"""Extension point for the public hub page, so higher apps add to it without hubs naming them.

An app above hubs (e.g. volunteering) registers, in its AppConfig.ready():

    from hubs.extensions import register_hub_page_panel
    register_hub_page_panel(my_panel)

where `my_panel(request, hub)` returns `(template_name, context)` or None. Each panel renders
under "How to get involved" on the hub page.
"""

from django.template.loader import render_to_string

_PANELS = []


def register_hub_page_panel(panel):
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def unregister_hub_page_panel(panel):
    if panel in _PANELS:
        _PANELS.remove(panel)


def hub_page_panels(request, hub):
    """Rendered HTML of every registered panel that has something to show for this hub."""
    rendered = []
    for panel in _PANELS:
        result = panel(request, hub)
        if result:
            template_name, context = result
            rendered.append(render_to_string(template_name, context, request=request))
    return rendered
