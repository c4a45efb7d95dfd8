"""Reference numbers people quote on the phone or in an email: a prefix and six characters."""

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread


def new_reference(prefix: str) -> str:
    """A random reference such as VOL-7KQ2XM. Callers store it in a unique column."""
    return f"{prefix}-" + "".join(secrets.choice(ALPHABET) for _ in range(6))
