"""What staff groups other than officers may do with directory models (see core.roles).

Hub coordinators pick and add the places their activities happen (admin autocomplete needs
view permission) and can see areas and categories; listings stay with officers.
"""

COORDINATOR_PERMISSIONS = {"view_area", "view_location", "add_location", "view_taxonomyterm"}
PARTNER_CONTACT_PERMISSIONS = set()
