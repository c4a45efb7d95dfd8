import json
import re
from contextlib import contextmanager

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import Truncator, capfirst
from django_otp import user_has_device

from core import formats
from core.forms import CheckedModelMultipleChoiceField, holdable, valid_pk
from core.onetime import OneTimeAddAdmin
from core.roles import COORDINATOR, OFFICER
from core.scope import scope_of


def second_factor_required(user) -> bool:
    """Officers, coordinators and superusers always; everyone when the setting says so."""
    if settings.TWO_FACTOR_REQUIRED_FOR_ALL or user.is_superuser:
        return True
    return bool(scope_of(user).groups & {OFFICER, COORDINATOR})


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


@contextmanager
def refusals():
    """Around a service call in `save_model` or `save_related`: a save the service refuses
    (ValidationError) is shown on the form as typed (SaveRefused), never a 500.
    PermissionDenied from a service goes on as it is: a 403."""
    try:
        yield
    except ValidationError as exc:
        raise SaveRefused(exc) from exc


# --- Optimistic locking: two people editing the same record from forms opened before -------

FINGERPRINT_FIELD = "_record_fingerprint"
FINGERPRINT_FORMAT = re.compile(r"[0-9a-f]{64}")
CHANGED_FIELDS_LISTED = 6


def _plain(value):
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return str(value)


def record_fingerprint(model, pk, *, using=None, lock=False) -> str | None:
    """A keyed hash of the record's concrete field values as the database holds them now
    (None when it is gone). No version column needed, so no model needs a migration; any
    save changes it, as `modified` timestamps change on every save.

    With `lock`, inside a transaction, the row stays locked until that transaction ends
    (SELECT ... FOR UPDATE on PostgreSQL): two saves of the same record are checked and
    saved one after the other."""
    using = using or router.db_for_write(model)
    fields = [field.attname for field in model._meta.concrete_fields]
    rows = model._base_manager.using(using).filter(pk=pk)
    if lock and connections[using].in_atomic_block:
        rows = rows.select_for_update()
    row = rows.values_list(*fields).first()
    if row is None:
        return None
    payload = json.dumps([model._meta.label, *row], default=_plain)
    return salted_hmac("core.admin.record_fingerprint", payload).hexdigest()


def last_change(obj) -> str:
    """' (by Olive Officer at 14:32 on 4 May 2026)' from the record's history, else ''."""
    who = when = None
    history = getattr(obj._meta, "simple_history_manager_attribute", None)  # simple-history
    latest = getattr(obj, history).order_by("-history_date").first() if history else None
    if latest is not None:
        who, when = latest.history_user, latest.history_date
    else:
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                object_id=str(obj.pk),
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        if entry is not None:
            who, when = entry.user, entry.action_time
    if when is None:
        return ""
    at = date_format(timezone.localtime(when), "H:i \\o\\n j F Y")
    if who is None:
        return f" (at {at})"
    return f" (by {who.get_full_name() or who.get_username()} at {at})"


def _shown(field, record) -> str:
    if field.choices:
        value = record._get_FIELD_display(field)
    elif field.is_relation:
        value = getattr(record, field.name)
    else:
        value = field.value_from_object(record)
    return Truncator("–" if value in (None, "") else str(value)).chars(80)


def differences(form, record) -> list[tuple[str, str]]:
    """(label, saved value) for the form's fields whose saved value differs from the form's."""
    found = []
    for field in record._meta.concrete_fields:
        if field.name not in form.cleaned_data or isinstance(field, models.FileField):
            continue
        typed = form.cleaned_data[field.name]
        if field.is_relation:
            typed = getattr(typed, "pk", typed)
        saved = field.value_from_object(record)
        if typed in ("", None) and saved in ("", None):
            continue
        if typed != saved:
            label = form.fields[field.name].label or field.verbose_name
            found.append((str(label), _shown(field, record)))
    return found[:CHANGED_FIELDS_LISTED]


class CheckedAdminForm:
    """Mixed into every staff admin form (SafeAutocompleteAdmin.get_form).

    Optimistic locking: a change form carries the fingerprint of the record as it was when
    opened (FINGERPRINT_FIELD, from templates/admin/change_form.html). On a save the record
    is read again, locked, and if it has changed since, the form is not saved: it comes back
    as typed, with what changed and who changed it, carrying the new fingerprint, so saving
    it again overwrites knowingly. A post without a fingerprint (the history revert form) is
    not checked.

    `refused`: the messages of a save refused on the first pass (SaveRefused), shown when the
    form's own checks now pass, so that it is not saved after all."""

    refused: tuple = ()
    current_fingerprint = None

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        self._check_fingerprint()
        if self.refused and not self.errors:
            for message in self.refused:
                self.add_error(None, message)

    def _check_fingerprint(self):
        opened = self.data.get(FINGERPRINT_FIELD)
        instance = self.instance
        if not opened or instance.pk is None or instance._state.adding:
            return
        model, using = type(instance), instance._state.db
        now = record_fingerprint(model, instance.pk, using=using, lock=True)
        if now is None or now == opened:
            return
        self.current_fingerprint = now
        saved = model._base_manager.using(using).get(pk=instance.pk)
        changed = differences(self, saved)
        message = format_html(
            "This record was changed by someone else since you opened it{}. Your changes have "
            "not been saved. Check the current values and save again.",
            last_change(saved),
        )
        if changed:
            message = format_html(
                "{} Saved now, where it differs from this form: {}.",
                message,
                format_html_join("; ", "{}: {}", changed),
            )
        self.add_error(None, message)


class NamedRowFields:
    """A changelist's editable fields sit in table cells with no label of their own: each is
    named by its column and its row ("Position: Connected Council"), for screen readers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs["aria-label"] = f"{field.label}: {self.instance}"


class FiguresAdmin:
    """Money as £12,000 and other figures as 4,416 or 55.8 (core.formats), in the lists and
    on read-only forms, as every staff page writes them; Django would show "12000.00". Each
    decimal field of up to two places gets a column `<name>_shown`, sorted by the field; the
    fields in the ModelAdmin's `money_fields` are money (no default here: the staff site puts
    this class before the ModelAdmin, where a default would hide the ModelAdmin's). Inputs,
    and CSV and JSON files, keep plain numbers."""

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.shown_fields = {}
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DecimalField) and field.decimal_places <= 2:
                name = f"{field.name}_shown"
                setattr(self, name, self._shown_column(field))
                self.shown_fields[field.name] = name

    def _shown_column(self, field):
        money = field.name in getattr(self, "money_fields", ())
        write = formats.money if money else formats.figure
        label = str(field.verbose_name).removesuffix(" (£)") if money else field.verbose_name

        def shown(obj):
            value = getattr(obj, field.name)
            return self.get_empty_value_display() if value is None else write(value)

        shown.short_description = label
        shown.admin_order_field = field.name
        return shown

    def _swap(self, names, fields):
        swapped = []
        for name in names:
            name = self.shown_fields[name] if name in fields else name
            if name not in swapped:
                swapped.append(name)
        return swapped

    def get_list_display(self, request):
        names = super().get_list_display(request)
        return self._swap(names, set(self.shown_fields) - set(self.list_editable))

    def _read_only(self, request, obj):
        """The decimal fields this form shows as text: all of them to whoever may only view."""
        if obj is not None and not self.has_change_permission(request, obj):
            return set(self.shown_fields)
        return set(self.shown_fields) & set(self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        names = list(super().get_readonly_fields(request, obj))
        shown = [self.shown_fields[name] for name in self._read_only(request, obj)]
        return names + [name for name in shown if name not in names]

    def get_fieldsets(self, request, obj=None):
        fields = self._read_only(request, obj)
        return [
            (title, {**options, "fields": self._swap(options["fields"], fields)})
            for title, options in super().get_fieldsets(request, obj)
        ]


class SafeAutocompleteAdmin(FiguresAdmin, OneTimeAddAdmin):
    """Mixed into every ModelAdmin the staff site registers: relation fields that check the
    keys they are given before looking them up (a hand-made add link or form post must get a
    message, not a 500), a save a service refuses shown as a message on the form,
    optimistic locking on every change form (CheckedAdminForm), add forms that save once
    however often they are sent (core.onetime.OneTimeAddAdmin), and money and figures
    written as the council writes them (FiguresAdmin).
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs = {"refused": getattr(request, "_save_refused", ())}
        return type(form.__name__, (CheckedAdminForm, form), attrs)

    def changelist_view(self, request, extra_context=None):
        """The council's title for a list ("KPI returns"), not "Select KPI return to change"."""
        title = capfirst(self.model._meta.verbose_name_plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def get_changelist_form(self, request, **kwargs):
        form = super().get_changelist_form(request, **kwargs)
        return type(form.__name__, (NamedRowFields, form), {})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and obj.pk is not None:
            form = context["adminform"].form
            opened = form.data.get(FINGERPRINT_FIELD, "") if form.is_bound else ""
            context["record_fingerprint"] = (
                form.current_fingerprint  # changed meanwhile: saving again overwrites it
                or (opened if FINGERPRINT_FORMAT.fullmatch(opened) else None)
                or record_fingerprint(type(obj), obj.pk, using=obj._state.db)
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._showing_refusals(
            super().changeform_view, request, object_id, form_url, extra_context
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history's revert form (only admins with history route here)."""
        if valid_pk(version_id) is None:  # it looks any text up as a history id: a 500
            raise Http404("No such version")
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


# The admin home lists the apps in the order officers use them, then the rest by name.
APP_ORDER = ["partners", "hubs", "directory", "volunteering"]
# Sign-in records and two-factor devices: superusers see them on the admin home; officers
# manage accounts at /staff/accounts/, which links to the devices for a lost phone.
SUPERUSER_APPS = {"auth", "otp_totp", "otp_static", "axes"}


class StaffAdminSite(admin.AdminSite):
    """The staff admin: branded from settings, reachable only after the second factor."""

    # The list of every app beside each page took 276 px of a 1280 px screen, and a list's
    # last columns went out of sight; the breadcrumbs and the admin home lead where it did.
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if not request.user.is_superuser:
            app_list = [app for app in app_list if app["app_label"] not in SUPERUSER_APPS]
        order = {label: position for position, label in enumerate(APP_ORDER)}
        return sorted(app_list, key=lambda app: (order.get(app["app_label"], 99), app["name"]))

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
                # Signed in with a password only and never enrolled: enrol now, then go on.
                return redirect(f"{reverse('two_factor:setup')}?{urlencode({'next': next_url})}")
            # Has a device but this session skipped the code: start again properly.
            logout(request)
        return redirect_to_login(next_url)


def statement_initial(url: str) -> dict:
    """The built-in text of a statement, so an officer edits it rather than starting blank."""
    from django.template.loader import render_to_string

    from core.views import STATEMENTS

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
