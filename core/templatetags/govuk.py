"""Template helpers for GOV.UK markup: fields in templates we don't own (e.g.
django-two-factor-auth), choices rendered in one pass, and figures in report tables."""

import re
from decimal import Decimal
from html import escape

from django import template
from django.utils.safestring import mark_safe

from core import formats
from core.forms import GovUKBoundField

register = template.Library()


@register.filter
def govuk_field(bound_field):
    """Render any form's field through our GOV.UK field template and widget classes."""
    field = GovUKBoundField(bound_field.form, bound_field.field, bound_field.name)
    return field.as_field_group()


def _options(bound_field):
    """(index, value, label, chosen) for each choice of a choice field, value and label escaped
    as Django's escape() does, value as its widget formats it."""
    widget = bound_field.field.widget
    chosen = set(widget.format_value(bound_field.value()))
    for index, (value, label) in enumerate(bound_field.field.choices):
        value = "" if value is None else str(value)
        yield index, escape(value), escape(str(label)), value in chosen


@register.filter
def checkbox_items(bound_field):
    """The GOV.UK checkbox items of a multiple-choice field, rendered in one pass: a search
    page's filters have dozens of options, and a template loop over them cost a tenth of
    the page's time. Same markup and ids as Django's CheckboxSelectMultiple (id_<name>_<n>)."""
    widget = bound_field.field.widget
    name, auto_id = escape(bound_field.html_name), bound_field.auto_id
    items = []
    for index, value, label, chosen in _options(bound_field):
        item_id = escape(widget.id_for_label(auto_id, index) if auto_id else "")
        checked = " checked" if chosen else ""
        items.append(
            '<div class="govuk-checkboxes__item">\n'
            f'<input class="govuk-checkboxes__input" id="{item_id}" name="{name}" type="checkbox"'
            f' value="{value}"{checked}>\n'
            f'<label class="govuk-label govuk-checkboxes__label" for="{item_id}">'
            f"{label}</label>\n</div>\n"
        )
    return mark_safe("".join(items))  # noqa: S308 - every part escaped


@register.filter
def select_options(bound_field):
    """The <option>s of a choice field's select, rendered in one pass (as checkbox_items),
    with the chosen one selected."""
    options = [
        f'<option value="{value}"{" selected" if chosen else ""}>{label}</option>'
        for _, value, label, chosen in _options(bound_field)
    ]
    return mark_safe("".join(options))  # noqa: S308 - every part escaped


@register.filter
def cell(value):
    """Numbers in report tables with thousands separators (4,416 and 1,234.5 hours); text
    as it is."""
    if isinstance(value, Decimal) and value.is_finite():
        # 2000.000 as 2,000 and 12.500 as 12.5 (normalize alone would write 2E+3).
        value = int(value) if value == value.to_integral_value() else value.normalize()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f"{value:,}"
    return value


@register.filter
def figure(value):
    """A figure as every page writes it: 4,416 and 55.8 (core.formats.figure)."""
    return formats.figure(value)


@register.filter
def money(value):
    """£12,000 (core.formats.money)."""
    return formats.money(value)


@register.filter(is_safe=True, needs_autoescape=True)
def govuk_paragraphs(value, autoescape=True):
    """Free text typed by staff as GOV.UK body paragraphs: a blank line starts a paragraph, a
    single line break stays a <br>. Django's |linebreaks gives bare <p>s, which render in the
    browser's default serif font outside GOV.UK's own classes."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    esc = escape if autoescape else str
    html = "\n".join(
        '<p class="govuk-body">{}</p>'.format("<br>".join(esc(line) for line in p.split("\n")))
        for p in paragraphs
    )
    return mark_safe(html)  # noqa: S308 - every line escaped
