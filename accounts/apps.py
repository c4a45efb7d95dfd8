from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts: invitations, roles, sign-in locks and two-factor devices. Spans the
    apps (hubs' coordinators, partners' contacts), so it stands above them."""

    name = "accounts"
    verbose_name = "Staff accounts"
