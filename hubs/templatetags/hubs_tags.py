from django import template

register = template.Library()


@register.filter
def govuk_time(value):
    """GOV.UK style times: 10am, 10:30am, midday, midnight."""
    if value is None:
        return ""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"
