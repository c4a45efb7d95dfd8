"""Staff roles: Django groups, and which model permissions each group holds.

Groups are created by a data migration; their permissions are (re)granted after every
migrate, so a model added by a later issue is covered without another data migration.
An app declares what coordinators and partner contacts may do with its models in
`COORDINATOR_PERMISSIONS` and `PARTNER_CONTACT_PERMISSIONS` (in its `roles` module, if it has
one); officers get every permission on our apps' models. What each role may see is
core.scope's (`scope_of(user)`).
"""

from importlib import import_module

OFFICER = "Council officer"
COORDINATOR = "Hub coordinator"
PARTNER_CONTACT = "Partner contact"
STAFF_GROUPS = (OFFICER, COORDINATOR, PARTNER_CONTACT)


# Officers also reset a colleague's lost authenticator (deleting the device makes them enrol
# again at next sign-in) and can see staff accounts. Changing accounts is not granted here:
# Django's user admin would let any editor make themselves a superuser.
OFFICER_EXTRA_PERMISSIONS = [
    ("auth", "view_user"),
    ("otp_totp", "view_totpdevice"),
    ("otp_totp", "delete_totpdevice"),
    ("otp_static", "view_staticdevice"),
    ("otp_static", "delete_staticdevice"),
    # The accessibility statement and privacy notice are flat pages officers edit.
    ("flatpages", "view_flatpage"),
    ("flatpages", "add_flatpage"),
    ("flatpages", "change_flatpage"),
]


def _declared(app_config, name):
    try:
        module = import_module(f"{app_config.name}.roles")
    except ModuleNotFoundError:
        return {}
    return getattr(module, name, {})


def grant_app_permissions(sender, app_config=None, using="default", **kwargs):
    """post_migrate handler: give each staff group its permissions on this app's models."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    app_config = app_config or sender
    if not app_config.models_module:
        return
    create_permissions(app_config, verbosity=0, using=using)
    perms = Permission.objects.using(using).filter(content_type__app_label=app_config.label)
    groups = {g.name: g for g in Group.objects.using(using).filter(name__in=STAFF_GROUPS)}
    if OFFICER in groups:
        groups[OFFICER].permissions.add(*perms)
        if app_config.label == "core":  # once is enough; these apps migrate earlier
            for app_label, codename in OFFICER_EXTRA_PERMISSIONS:
                extra = Permission.objects.using(using).filter(
                    content_type__app_label=app_label, codename=codename
                )
                groups[OFFICER].permissions.add(*extra)
    for group_name, attr in (
        (COORDINATOR, "COORDINATOR_PERMISSIONS"),
        (PARTNER_CONTACT, "PARTNER_CONTACT_PERMISSIONS"),
    ):
        codenames = _declared(app_config, attr)
        if group_name in groups and codenames:
            groups[group_name].permissions.add(*perms.filter(codename__in=codenames))
