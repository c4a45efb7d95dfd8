"""Demo data for partners: staff logins (more organisations arrive with the partners issue)."""

from django.contrib.auth.models import Group, User

from partners.roles import COORDINATOR, OFFICER

DEMO_USERS = [
    # role label, username, password, group, names
    ("Council officer", "officer", "demo-officer-2026", OFFICER, ("Olivia", "Officer")),
    (
        "Hub coordinator",
        "coordinator",
        "demo-coordinator-2026",
        COORDINATOR,
        ("Callum", "Coordinator"),
    ),
]


def seed(command):
    for label, username, password, group_name, (first, last) in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.gov.uk",
                "is_staff": True,
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group_name))
        command.add_login(label, username, password)
