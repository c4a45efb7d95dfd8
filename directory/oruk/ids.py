"""ORUK ids for objects we do not store as rows: uuid5 of their owner's UUID, and a
service_at_location id that encodes the service and location keys (RFC 9562 version 8)."""

import uuid

from directory.oruk.params import NAMESPACE

# --- ids ---------------------------------------------------------------------------------


def derived_id(kind, *parts):
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *map(str, parts)])))


_SAL_TAG = 0x2A5  # 10 bits marking our version 8 ids
_BITS = 56


def service_at_location_id(service_pk, location_pk):
    """A version 8 UUID holding the tag, the service key and the location key (122 bits)."""
    payload = (_SAL_TAG << (2 * _BITS)) | (service_pk << _BITS) | location_pk
    high, mid, low = payload >> 74, (payload >> 62) & 0xFFF, payload & ((1 << 62) - 1)
    return str(uuid.UUID(int=(high << 80) | (0x8 << 76) | (mid << 64) | (0b10 << 62) | low))


def parse_service_at_location_id(value):
    """(service key, location key), or None if it is not one of our ids."""
    number = value.int
    if (number >> 76) & 0xF != 0x8 or (number >> 62) & 0b11 != 0b10:
        return None
    high, mid, low = number >> 80, (number >> 64) & 0xFFF, number & ((1 << 62) - 1)
    payload = (high << 74) | (mid << 62) | low
    if payload >> (2 * _BITS) != _SAL_TAG:
        return None
    mask = (1 << _BITS) - 1
    return (payload >> _BITS) & mask, payload & mask


def taxonomy_id(name):
    return derived_id("taxonomy", name)
