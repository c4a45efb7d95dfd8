"""Scoping shared by the volunteering admin pages."""

from django.http import Http404

from core.scope import scope_of


class ScopedMixin:
    """Lookups through `for_user()`; a record outside the user's organisations is a 404."""

    officer_autocomplete_fields = ()
    autocomplete_fields = ()

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:  # not there, or not theirs: the same 404 either way
            raise Http404("No such record")
        return obj

    def get_autocomplete_fields(self, request):
        # Partner contacts hold no permissions on hubs and places: plain, scoped selects.
        extra = self.officer_autocomplete_fields if scope_of(request.user).is_officer else ()
        return [*self.autocomplete_fields, *extra]
