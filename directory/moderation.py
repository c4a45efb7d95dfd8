"""The moderation queue: suggested listings and change reports waiting for an officer, oldest
first, each with Approve (and, for a new listing, the organisation that runs it: an existing
one or a new one made from the suggestion, in the same step) and Reject with a reason.

Writes go through directory.services, which also emails the sender the outcome."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from core.forms import GovUKForm, page_number, valid_pk
from core.staff import StaffPermissionRequiredMixin
from directory import services
from directory.models import Suggestion
from partners.models import Organisation

NEW_ORGANISATION = "new"
PAGE_SIZE = 20


class ApproveForm(GovUKForm):
    organisation = forms.CharField(required=False)

    def __init__(self, *args, suggestion, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion

    def clean_organisation(self):
        """An Organisation, NEW_ORGANISATION, or None (a change report needs none)."""
        value = self.cleaned_data["organisation"]
        if self.suggestion.kind == Suggestion.Kind.CHANGE:
            return None
        if value == NEW_ORGANISATION and self.suggestion.organisation_name.strip():
            return NEW_ORGANISATION
        pk = valid_pk(value)
        organisation = Organisation.objects.filter(pk=pk, is_active=True).first() if pk else None
        if organisation is None:
            raise ValidationError("Choose the organisation that runs it")
        return organisation


class RejectForm(GovUKForm):
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why it is rejected: the sender is told",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )


def organisation_choice(suggestion, organisations) -> str:
    """What the picker starts on: the organisation already chosen, else one with exactly
    the suggested name, else a new one from the suggestion (else nothing)."""
    if suggestion.organisation_id:
        return str(suggestion.organisation_id)
    name = suggestion.organisation_name.strip().casefold()
    matches = [o for o in organisations if o.name.casefold() == name] if name else []
    if len(matches) == 1:
        return str(matches[0].pk)
    return NEW_ORGANISATION if name else ""


class ModerationMixin(StaffPermissionRequiredMixin):
    # Officers only: no other staff group has this permission (directory/roles.py).
    permission_required = "directory.change_suggestion"


class QueueView(ModerationMixin, TemplateView):
    template_name = "directory/staff/queue.html"

    def get_context_data(self, failed=None, **kwargs):
        pending = (
            Suggestion.objects.filter(status=Suggestion.Status.PENDING)
            .select_related("service", "organisation")
            .prefetch_related("categories")
            .order_by("created", "pk")
        )
        paginator = Paginator(pending, PAGE_SIZE)
        page = paginator.get_page(page_number(self.request.GET.get("page")))
        organisations = list(Organisation.objects.active().only("pk", "name").order_by("name"))
        failed = failed or {}
        items = []
        for suggestion in page.object_list:
            approve, reject = failed.get(suggestion.pk, (None, None))
            chosen = approve.data.get("organisation") if approve is not None else None
            items.append(
                {
                    "suggestion": suggestion,
                    "approve": approve,
                    "reject": reject,
                    "chosen": chosen or organisation_choice(suggestion, organisations),
                }
            )
        return super().get_context_data(
            items=items,
            organisations=organisations,
            new_organisation=NEW_ORGANISATION,
            page_obj=page,
            page_range=paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            count=paginator.count,
            has_errors=bool(failed),
            **kwargs,
        )


class DecideView(QueueView):
    """POST only: approve or reject one suggestion, then back to the queue. A mistake shows
    the queue again with the message on that suggestion."""

    http_method_names = ["post"]
    decision = ""  # "approve" or "reject"

    def post(self, request, pk):
        if valid_pk(pk) is None:
            raise Http404("No such suggestion")
        suggestion = get_object_or_404(Suggestion.objects.select_related("service"), pk=pk)
        if self.decision == "approve":
            form = ApproveForm(request.POST, suggestion=suggestion)
        else:
            form = RejectForm(request.POST)
        if form.is_valid():
            try:
                return self.decide(suggestion, form)
            except ValidationError as exc:
                form.add_error(None, exc)
        suggestion.refresh_from_db(fields=["status"])
        if suggestion.status != Suggestion.Status.PENDING:
            # Decided by someone else meanwhile: it has left the queue, so say so at the top.
            messages.error(request, " ".join(form.non_field_errors()) or "Already decided.")
            return redirect(reverse("directory_staff:queue"))
        failed = (form, None) if self.decision == "approve" else (None, form)
        return self.render_to_response(self.get_context_data(failed={suggestion.pk: failed}))

    def decide(self, suggestion, form):
        user = self.request.user
        if self.decision == "reject":
            services.reject_suggestion(
                suggestion=suggestion, user=user, note=form.cleaned_data["reason"]
            )
            messages.success(self.request, f"Rejected {suggestion.reference}: {suggestion.name}.")
            return redirect(reverse("directory_staff:queue"))
        organisation = form.cleaned_data["organisation"]
        service = services.approve_suggestion(
            suggestion=suggestion,
            user=user,
            organisation=None if organisation == NEW_ORGANISATION else organisation,
            create_organisation=organisation == NEW_ORGANISATION,
        )
        done = "published" if suggestion.kind == Suggestion.Kind.NEW else "updated"
        messages.success(
            self.request, f"Approved {suggestion.reference}: {service.name} is {done}."
        )
        suggestion.refresh_from_db()
        for note in (
            services.place_left_out(suggestion, service),
            services.change_left_to_do(suggestion),
        ):
            if note:
                messages.warning(self.request, note)
        return redirect(reverse("directory_staff:queue"))
