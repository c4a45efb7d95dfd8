"""The flat pages admin, starting a statement from its built-in text."""

from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin
from django.contrib.flatpages.models import FlatPage

from core.admin import statement_initial

admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class StatementAdmin(FlatPageAdmin):
    """Officers edit the accessibility statement (/accessibility/) and privacy notice
    (/privacy/). Content is HTML with GOV.UK classes; scripts never run (CSP)."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        return {**statement_initial(request.GET.get("url", "")), **initial}
