"""Template helpers for GOV.UK markup in templates we don't own (e.g. django-two-factor-auth)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from config.forms import GovUKBoundField

register = template.Library()


@register.filter
def govuk_field(bound_field):
    """Render any form's field through our GOV.UK field template and widget classes."""
    field = GovUKBoundField(bound_field.form, bound_field.field, bound_field.name)
    return field.as_field_group()


@register.filter
def checkbox_items(bound_field):
    """The GOV.UK checkbox items of a multiple-choice field, rendered in one pass: a search
    page's filters have dozens of options, and a template loop over them cost a tenth of
    the page's time. Same markup and ids as Django's CheckboxSelectMultiple (id_<name>_<n>);
    every value escaped as Django's escape() does."""
    widget = bound_field.field.widget
    chosen = set(widget.format_value(bound_field.value()))
    name, auto_id = escape(bound_field.html_name), bound_field.auto_id
    items = []
    for index, (value, label) in enumerate(bound_field.field.choices):
        value = "" if value is None else str(value)
        item_id = escape(widget.id_for_label(auto_id, index) if auto_id else "")
        checked = " checked" if value in chosen else ""
        items.append(
            '<div class="govuk-checkboxes__item">\n'
            f'<input class="govuk-checkboxes__input" id="{item_id}" name="{name}" type="checkbox"'
            f' value="{escape(value)}"{checked}>\n'
            f'<label class="govuk-label govuk-checkboxes__label" for="{item_id}">'
            f"{escape(str(label))}</label>\n</div>\n"
        )
    return mark_safe("".join(items))  # noqa: S308 - every part escaped


@register.filter
def select_options(bound_field):
    """The <option>s of a choice field's select, rendered in one pass (as checkbox_items),
    with the chosen one selected."""
    chosen = set(bound_field.field.widget.format_value(bound_field.value()))
    options = []
    for value, label in bound_field.field.choices:
        value = "" if value is None else str(value)
        selected = " selected" if value in chosen else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(options))  # noqa: S308 - every part escaped
