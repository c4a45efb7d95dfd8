"""Staff pages outside the Django admin get the admin's own door: signed in, staff, and past
the second factor where it is required (core.admin.StaffAdminSite), then a model permission."""

from django.contrib import admin
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


class StaffPermissionRequiredMixin(PermissionRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not admin.site.has_permission(request):
            if not (user.is_active and user.is_staff):
                raise PermissionDenied
            # Password given but no second factor yet: the admin knows which step is next.
            request.GET = request.GET.copy()
            request.GET["next"] = request.get_full_path()
            return admin.site.login(request)
        return super().dispatch(request, *args, **kwargs)
