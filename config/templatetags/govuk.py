"""Template helpers for GOV.UK markup in templates we don't own (e.g. django-two-factor-auth)."""

from django import template

from config.forms import GovUKBoundField

register = template.Library()


@register.filter
def govuk_field(bound_field):
    """Render any form's field through our GOV.UK field template and widget classes."""
    field = GovUKBoundField(bound_field.form, bound_field.field, bound_field.name)
    return field.as_field_group()
