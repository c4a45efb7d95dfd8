"""The shortlist's button on a service page and its link on the search page
(directory.shortlist), so those pages' views need not know about it."""

from django import template

from directory import shortlist

register = template.Library()


@register.inclusion_tag("directory/includes/shortlist_button.html", takes_context=True)
def shortlist_button(context, service):
    request = context["request"]
    ids = shortlist.read(request)
    return {
        "service": service,
        "on_list": service.uuid in ids,
        "count": len(ids),
        "full": len(ids) >= shortlist.MOST,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }


@register.inclusion_tag("directory/includes/shortlist_link.html", takes_context=True)
def shortlist_link(context):
    return {"count": len(shortlist.read(context["request"]))}
