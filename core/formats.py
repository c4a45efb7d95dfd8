"""Figures and money as the council writes them, the same on every page and list."""

from decimal import Decimal, InvalidOperation


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def figure(value) -> str:
    """4,416 or 55.8 or 12.25: thousands separated, no trailing zeros (Django's floatformat
    gives "55.80" and no separators)."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    text = f"{number:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value) -> str:
    """£12,000 for whole pounds, £12,000.50 otherwise."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    sign = "-" if number < 0 else ""
    whole = number == number.to_integral_value()
    return f"{sign}£{abs(number):,.0f}" if whole else f"{sign}£{abs(number):,.2f}"
