"""UK postcodes: normalise to "SS14 1AB" form and validate the pattern. Looking one up is
`Postcode.objects.coordinates()`; this module stays below the models."""

import re

from django.core.exceptions import ValidationError

# Outward code (area, district) then inward code (sector, unit); GIR 0AA is the one oddity.
POSTCODE_RE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][ABD-HJLNP-UW-Z]{2})$")
MAX_INPUT = 16  # nothing longer can be a postcode, however it is spaced


def normalise_postcode(value: str) -> str:
    """'ss141ab ' -> 'SS14 1AB'. Raises ValidationError if it is not a UK postcode."""
    text = "".join(str(value or "")[: MAX_INPUT * 2].split()).upper()
    if len(text) > 7 or not POSTCODE_RE.match(text):
        raise ValidationError("Enter a real postcode, like SS14 1AB", code="invalid_postcode")
    return f"{text[:-3]} {text[-3:]}"


def validate_postcode(value: str) -> None:
    normalise_postcode(value)
