"""Open Referral UK (ORUK, HSDS-UK 3.0) read API: parameters, queries and serialisers.

Field names, types and required fields follow the official schemas copied, unmodified, in
directory/oruk_schemas/ (tests validate every endpoint against them). Optional fields without a
value are left out, never null, as the ORUK compliance rules ask.

Ids: services, organisations, locations, categories and schedules have their own UUIDs. Objects
we do not store as rows get ids derived from them: addresses, contacts, phones, attributes,
cost options, accessibility and taxonomies use uuid5 of their owner's UUID (stable, nothing to
store). A service_at_location id is an RFC 9562 version 8 UUID that encodes the service and
location keys, so `/service_at_locations/{id}` finds the link without an extra table.
"""
