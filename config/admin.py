from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import user_has_device

from config.forms import CheckedModelMultipleChoiceField, holdable
from partners.roles import COORDINATOR, OFFICER


def second_factor_required(user) -> bool:
    """Officers, coordinators and superusers always; everyone when the setting says so."""
    if settings.TWO_FACTOR_REQUIRED_FOR_ALL or user.is_superuser:
        return True
    return user.groups.filter(name__in=[OFFICER, COORDINATOR]).exists()


class ChecksChosenKeys:
    """An autocomplete widget that does not look up keys no database could hold.

    Django's looks up whatever value a form holds to show its label; a hand-made add link
    (?organisation=abc) or form post then ends in a 500. Such values are left out here, and
    the form's own validation reports them on a post."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [v for v in value if holdable(target, v)], attr)


class SafeAutocompleteSelect(ChecksChosenKeys, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ChecksChosenKeys, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteAdmin:
    """Mixed into every ModelAdmin the staff site registers: relation fields that check the
    keys they are given before looking them up (a hand-made add link or form post must get a
    message, not a 500)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class StaffAdminSite(admin.AdminSite):
    """The staff admin: branded from settings, reachable only after the second factor."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SafeAutocompleteAdmin):
            admin_class = type(admin_class)(
                admin_class.__name__, (SafeAutocompleteAdmin, admin_class), {}
            )
        super().register(model_or_iterable, admin_class, **options)

    @property
    def site_header(self):
        return f"{settings.SITE_NAME} staff admin"

    @property
    def site_title(self):
        return settings.SITE_NAME

    @property
    def index_title(self):
        return f"{settings.COUNCIL_NAME}: manage {settings.SITE_NAME}"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return request.user.is_verified() or not second_factor_required(request.user)

    def login(self, request, extra_context=None):
        """Sign-in happens in the two-factor flow; send people to the step they still need."""
        next_url = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME))
        if not next_url or not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}
        ):
            next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
        user = request.user
        if user.is_authenticated and user.is_staff and not user.is_verified():
            if not user_has_device(user):
                # Signed in with a password only and never enrolled: enrol now.
                return redirect("two_factor:setup")
            # Has a device but this session skipped the code: start again properly.
            logout(request)
        return redirect_to_login(next_url)


def statement_initial(url: str) -> dict:
    """The built-in text of a statement, so an officer edits it rather than starting blank."""
    from django.template.loader import render_to_string

    from config.views import STATEMENTS

    if url not in STATEMENTS:
        return {}
    heading, content_template = STATEMENTS[url]
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "COUNCIL_NAME": settings.COUNCIL_NAME,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
    return {
        "title": heading.format(site=settings.SITE_NAME),
        "content": render_to_string(content_template, context),
        "sites": [settings.SITE_ID],
    }
