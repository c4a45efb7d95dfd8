"""Validators shared by models and forms across the apps."""

import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible

EXAMPLE = "like https://www.example.org"


@deconstructible
class WebAddressValidator(URLValidator):
    """A web address we may publish as a link: http or https only, no username or password,
    no control or invisible formatting characters.

    Django's URLValidator accepts https://www.basildon.gov.uk@evil.example/login, which reads
    as the council's site and opens evil.example, and ftp:// addresses no browser opens.
    """

    schemes = ["http", "https"]
    message = f"Enter a web address in the correct format, {EXAMPLE}"
    scheme_message = f"Enter a web address that starts with https:// or http://, {EXAMPLE}"
    userinfo_message = f"Enter a web address without a username or password, {EXAMPLE}"

    def __call__(self, value):
        if not isinstance(value, str):
            raise ValidationError(self.message, code="invalid", params={"value": value})
        # Cc: control characters (urlsplit silently drops tabs and line breaks); Cf: invisible
        # formatting such as right-to-left overrides, which disguise where a link goes.
        if any(unicodedata.category(c) in ("Cc", "Cf") for c in value):
            raise ValidationError(self.message, code="invalid", params={"value": value})
        scheme, found, _rest = value.partition("://")
        if not found or scheme.lower() not in self.schemes:
            raise ValidationError(self.scheme_message, code="scheme", params={"value": value})
        try:
            netloc = urlsplit(value).netloc
        except ValueError:  # e.g. an unclosed [IPv6 address
            raise ValidationError(self.message, code="invalid", params={"value": value}) from None
        if "@" in netloc:
            raise ValidationError(self.userinfo_message, code="userinfo", params={"value": value})
        super().__call__(value)


validate_web_address = WebAddressValidator()
