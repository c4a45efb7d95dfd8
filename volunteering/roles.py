"""What partner contacts may do with volunteering models (granted by core.roles).

Model permissions say *what*; `for_user()` says *where*: only their own organisations' roles,
the interests in those roles, and those volunteers' hours. General offers of help (no role),
erasure records and personal data requests stay with officers.
"""

PARTNER_CONTACT_PERMISSIONS = {
    "view_skill",
    "view_role",
    "add_role",
    "change_role",
    "view_interest",
    "change_interest",
    "view_volunteerhours",
    "add_volunteerhours",
    "change_volunteerhours",
}
COORDINATOR_PERMISSIONS = set()
