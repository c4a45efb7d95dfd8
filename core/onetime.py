"""One-time form tokens: a form sent twice (a double tap, a resend after a slow answer) saves
once, and the repeat is answered as the first was.

Every create form carries a hidden random token (FIELD). The first valid post claims it in
the transaction that saves the record; a repeat of the same post finds it used and is sent
where the first went (its success page, saying it was already saved, with a link to the
record), never to an error page. A form shown again after a mistake keeps its token and the
claim goes with the rolled-back or refused save, so the corrected form saves once.

Why a table (core.UsedFormToken, unique on the key) and not `cache.add`: the claim is part of
the transaction that saves the record. If the save fails or the form is invalid, the claim
goes too; a repeat that arrives while the first is still saving waits on the unique index
(PostgreSQL) until the first commits, then finds it used along with where the first sent
its sender, written in the same transaction. With the cache a repeat could only guess whether
the first would succeed and where it went, and a cache per worker (locmem, the default
without CACHE_URL) never sees another worker's tokens. The cost is one small insert a post;
used tokens are deleted after KEEP_USED_TOKENS.

Use: `OneTimeFormMixin` on a FormView that creates something, `OneTimeAddAdmin` on a
ModelAdmin (the staff site adds it to every one, core.admin). A post without a token (a
script, or a page rendered before this) is saved as before.
"""

import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db import IntegrityError, router, transaction
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html

from core.models import UsedFormToken

FIELD = "form_token"
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{20,64}")
KEEP_USED_TOKENS = datetime.timedelta(days=7)
REDIRECTS = (301, 302, 303)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def posted_token(data) -> str:
    """The token sent with a form, or "" for none (or anything we would not have made)."""
    value = data.get(FIELD, "")
    return value if isinstance(value, str) and TOKEN_FORMAT.fullmatch(value) else ""


class TokenField(forms.CharField):
    """The hidden token: a new one for a new form; a bound form shows the one it was sent."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("initial", new_token)
        super().__init__(**kwargs)


@dataclass
class Claim:
    key: str
    earlier: dict | None = None  # a repeat: what the first post recorded (url, message, ...)

    def record(self, **outcome) -> None:
        """Where the first post sent its sender, for a repeat (same transaction)."""
        UsedFormToken.objects.filter(key=self.key).update(outcome=outcome)

    def release(self) -> None:
        """Nothing was saved (the form is shown again): the token may be used again."""
        UsedFormToken.objects.filter(key=self.key).delete()


def claim(token: str, *, purpose: str, user) -> Claim:
    """Claim `token` for this form (`purpose`) and sender, inside the caller's transaction.

    Returns a Claim to `record` or `release` before that transaction ends, or, when the token
    was used already, one whose `earlier` holds what its first post recorded. On PostgreSQL a
    claim of a token another transaction holds waits for that transaction to end."""
    who = str(user.pk) if user is not None and user.is_authenticated else ""
    key = hashlib.sha256(f"{purpose}\n{who}\n{token}".encode()).hexdigest()
    for attempt in range(3):
        try:
            with transaction.atomic():  # a savepoint: the caller's transaction stays usable
                UsedFormToken.objects.create(key=key)
        except IntegrityError:
            earlier = UsedFormToken.objects.filter(key=key).values_list("outcome", flat=True)
            outcome = earlier.first()
            if outcome is not None:
                return Claim(key, earlier=outcome)
            if attempt == 2:
                raise
            continue  # released between our insert and our look: claim it again
        UsedFormToken.objects.filter(used_at__lt=timezone.now() - KEEP_USED_TOKENS).delete()
        return Claim(key)
    raise AssertionError("unreachable")


def repeat_message(outcome: dict) -> str:
    """The message recorded for a repeat, with its link (href, text) if any."""
    message = outcome.get("message", "")
    link = outcome.get("link")
    if message and link:
        return format_html('{} <a href="{}">{}</a>', message, link[0], link[1])
    return message


class OneTimeFormMixin:
    """For a FormView that creates something: its form gets the token field (templates that
    lay fields out one by one render `{{ form.form_token }}`), and a repeat of a successful
    post is redirected where the first went, with nothing saved again.

    `form_valid` calls `self.once_saved(message=..., link=(href, text), session={...})` with
    what a repeat is told and the session keys its success page reads (a double tap's first
    answer is never seen, so its cookie may not be either), then returns its redirect."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields[FIELD] = TokenField()
        return form

    def once_saved(self, **outcome) -> None:
        self._once_outcome = outcome

    def post(self, request, *args, **kwargs):
        token = posted_token(request.POST)
        if not token:
            return super().post(request, *args, **kwargs)
        with transaction.atomic(using=router.db_for_write(UsedFormToken)):
            used = claim(
                token, purpose=f"{type(self).__qualname__} {request.path}", user=request.user
            )
            if used.earlier is not None:
                return self.repeated(used.earlier)
            self._once_outcome = {}
            response = super().post(request, *args, **kwargs)
            if response.status_code in REDIRECTS:
                used.record(url=response["Location"], **self._once_outcome)
            else:  # shown again (a mistake, a limit): the corrected form may use the token
                used.release()
            return response

    def repeated(self, outcome: dict):
        for key, value in outcome.get("session", {}).items():
            self.request.session[key] = value
        if message := repeat_message(outcome):
            messages.info(self.request, message)
        return HttpResponseRedirect(outcome.get("url") or self.request.path)


class OneTimeAddAdmin:
    """For a ModelAdmin: its add form carries the token (templates/admin/change_form.html),
    and a repeat of a successful add is redirected where the first went, saying it was
    already added, with a link to the record."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            sent = posted_token(request.POST) if request.method == "POST" else ""
            context["form_token"] = sent or new_token()  # shown again: the same token
        return super().render_change_form(request, context, add, change, form_url, obj)

    def log_addition(self, request, obj, message):
        request._added_once = obj  # the add succeeded: record it for a repeat
        return super().log_addition(request, obj, message)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        token = posted_token(request.POST) if request.method == "POST" else ""
        if not token or object_id is not None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        opts = self.opts
        with transaction.atomic(using=router.db_for_write(UsedFormToken)):
            used = claim(token, purpose=f"admin add {opts.label_lower}", user=request.user)
            if used.earlier is not None:
                self.message_user(request, repeat_message(used.earlier), messages.INFO)
                return HttpResponseRedirect(
                    used.earlier.get("url")
                    or reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
                )
            response = super().changeform_view(request, object_id, form_url, extra_context)
            added = getattr(request, "_added_once", None)
            if added is None:
                used.release()
                return response
            try:
                link = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[added.pk])
            except NoReverseMatch:
                link = ""
            used.record(
                url=response["Location"] if response.status_code in REDIRECTS else link,
                message=f"This {opts.verbose_name} was already added (the form was sent "
                "twice, and saved once):",
                link=[link, str(added)] if link else None,
            )
            return response
