"""What the directory's own features add to pages other views render: the shortlist's button
on a service page and its link on the search page (directory.shortlist), and the service
page's feedback form (directory.feedback), so those pages' views need not know about them."""

from django import template

from directory import shortlist
from directory.forms import FeedbackForm

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


@register.inclusion_tag("directory/includes/feedback.html", takes_context=True)
def feedback_form(context, service):
    """The service page's "Was this page useful?" form."""
    return {"service": service, "form": FeedbackForm(), "csrf_token": context.get("csrf_token")}
