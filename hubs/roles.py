"""What hub coordinators may do with hubs' models (granted by core.roles after migrate).

Model permissions say *what* a coordinator may do; `for_user()` scoping says *where*: only at
the hubs they coordinate.
"""

COORDINATOR_PERMISSIONS = {
    "view_hub",
    "view_activity",
    "add_activity",
    "change_activity",
    "view_engagement",
    "add_engagement",
    "change_engagement",
    "delete_engagement",
    "view_referral",
    "add_referral",
    "change_referral",
    "delete_referral",
}
