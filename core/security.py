"""Request and response hardening that applies to every URL: body limits and headers.

Body limits are checked against Content-Length before anything reads the body (Django's own
DATA_UPLOAD_MAX_MEMORY_SIZE counts only form fields, never file parts, and only while reading).
Visitors who are not signed in may send small forms and no files at all; signed-in staff may
upload up to STAFF_REQUEST_MAX_BYTES (documents and CSV imports).
"""

from django.conf import settings
from django.core.exceptions import SuspiciousMultipartForm
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

# Pages for signed-in staff; their answers must never be kept by a browser or proxy.
STAFF_PREFIXES = ("/staff/", "/admin/", "/account/")


class RefuseFiles(FileUploadHandler):
    """Upload handler for visitors: no public form asks for a file, so a file part is an
    attack or a mistake. Raised on the first file part, before its content is read."""

    def new_file(self, *args, **kwargs):
        raise SuspiciousMultipartForm("File uploads are not accepted from visitors.")

    def receive_data_chunk(self, raw_data, start):  # pragma: no cover - new_file stops first
        return None

    def file_complete(self, file_size):  # pragma: no cover
        return None


def declared_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestBodyLimitMiddleware:
    """Answers 413 to a body larger than the caller may send, without reading it.

    Placed after AuthenticationMiddleware (it needs to know who is asking) and before any
    middleware that reads request.POST (CSRF does)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        staff = request.user.is_authenticated and request.user.is_staff
        limit = settings.STAFF_REQUEST_MAX_BYTES if staff else settings.PUBLIC_REQUEST_MAX_BYTES
        if declared_length(request) > limit:
            response = render(request, "413.html", {"limit": limit}, status=413)
            # The body was not read: the connection cannot carry another request.
            response["Connection"] = "close"
            return response
        if not staff:
            request.upload_handlers = [RefuseFiles(request)]
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy, Cross-Origin-Resource-Policy,
    and no-store on everything signed-in staff see (staff pages and their CSV downloads)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        # The ORUK API is read by other councils' systems from their own origins.
        corp = "cross-origin" if request.path.startswith("/api/") else "same-origin"
        response.setdefault("Cross-Origin-Resource-Policy", corp)
        user = getattr(request, "user", None)
        if request.path.startswith(STAFF_PREFIXES) or (user and user.is_authenticated):
            add_never_cache_headers(response)
        return response
