"""What staff groups other than officers may do with ward figures (see core.roles).

Coordinators and partner contacts read the ward matrix for the wards they work in
(core.scope decides which); only officers upload figures and boundaries.
"""

COORDINATOR_PERMISSIONS = {"view_wardfigure"}
PARTNER_CONTACT_PERMISSIONS = {"view_wardfigure"}
