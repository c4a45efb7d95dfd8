from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import router, transaction
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


class SaveRefused(Exception):
    """Raised from `save_model` (or `save_related`) when a service refuses a save the form's
    own checks passed: usually a race, such as a unique row another user saved a moment
    earlier. The staff admin then shows the form again, as typed, with these messages."""

    def __init__(self, error: ValidationError):
        super().__init__(error.messages)
        self.messages = error.messages


class CheckedAdminForm:
    """Mixed into every staff admin form (SafeAutocompleteAdmin.get_form).

    `refused`: the messages of a save refused on the first pass (SaveRefused), shown when the
    form's own checks now pass, so that it is not saved after all."""

    refused: tuple = ()

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.refused and not self.errors:
            for message in self.refused:
                self.add_error(None, message)


class SafeAutocompleteAdmin:
    """Mixed into every ModelAdmin the staff site registers: relation fields that check the
    keys they are given before looking them up (a hand-made add link or form post must get a
    message, not a 500), and a save a service refuses shown as a message on the form.
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {"refused": getattr(request, "_save_refused", ())}
        return type(form.__name__, (CheckedAdminForm, form), attrs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._showing_refusals(
            super().changeform_view, request, object_id, form_url, extra_context
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history's revert form (only admins with history route here)."""
        return self._showing_refusals(
            super().history_form_view, request, object_id, version_id, extra_context
        )

    def _showing_refusals(self, view, request, *args):
        """Run an admin form view; if its save is refused (SaveRefused), roll back what it
        wrote and run it again, showing the form as typed with the reasons."""
        if request.method != "POST":
            return view(request, *args)
        using = router.db_for_write(self.model)
        try:
            with transaction.atomic(using=using):
                return view(request, *args)
        except SaveRefused as refused:
            request._save_refused = tuple(refused.messages)
            with transaction.atomic(using=using):
                return view(request, *args)

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
