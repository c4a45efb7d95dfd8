"""What every partners admin page shares: records scoped to the user, RAG tags, CSV files."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.html import format_html

from core.scope import scope_of
from partners.performance import Rating


def rag_tag(rating) -> str:
    """The rating's words, coloured: the words carry the meaning, colour only helps."""
    if not rating:
        return "–"
    rating = Rating(rating)
    return format_html('<span class="rag rag--{}">{}</span>', rating.colour, rating.label)


def csv_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PartnersAdminMixin:
    """Scope every lookup to what the user may see; officers alone see history."""

    class Media:
        css = {"all": ["partners/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:  # not there, or not theirs: the same 404 either way
            raise Http404("No such record")
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._check_history_access(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_history_access(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _check_history_access(self, request, object_id):
        self.get_object(request, object_id)
        if not scope_of(request.user).is_officer:
            raise PermissionDenied
