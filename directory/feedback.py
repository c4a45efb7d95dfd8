"""'Was this page useful?' on service pages: the form's own page (where its errors show, and
where it works without JavaScript) and the thank-you page. The form itself sits at the foot
of every published service page (templates/directory/includes/feedback.html)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, TemplateView

from core.ratelimit import RateLimitedFormMixin
from directory.forms import FeedbackForm
from directory.models import Service
from directory.services import record_feedback


class PublishedServiceMixin:
    def dispatch(self, request, *args, **kwargs):
        self.service = get_object_or_404(Service.objects.published(), uuid=kwargs["uuid"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(service=self.service, **kwargs)


class FeedbackView(PublishedServiceMixin, RateLimitedFormMixin, FormView):
    """Rate limited like the other public forms, with their honeypot."""

    template_name = "directory/feedback.html"
    form_class = FeedbackForm
    http_method_names = ["get", "post", "head", "options"]

    def form_valid(self, form):
        try:
            record_feedback(
                service=self.service,
                useful=form.cleaned_data["useful"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return redirect("directory:feedback_sent", uuid=self.service.uuid)


class FeedbackSentView(PublishedServiceMixin, TemplateView):
    template_name = "directory/feedback_sent.html"
