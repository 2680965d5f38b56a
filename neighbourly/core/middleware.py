import json
import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.template import loader

from neighbourly.core.errors import InvalidCursor, NotFound, PermissionDenied

security_logger = logging.getLogger("django.security.DisallowedHost")


def client_ip(request) -> str:
    """The client's address, as the ASGI layer resolved it from PROXY_COUNT (for django-axes)."""
    return request.META.get("REMOTE_ADDR", "")


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class AllowedHostMiddleware:
    """A foreign Host header gets the friendly 400 page (JSON under /api/), never a technical page.

    Django raises DisallowedHost from the first get_host(); with DEBUG on that becomes the debug
    page, which shows settings. Checking first keeps every mode the same."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.get_host()
        except DisallowedHost as exc:
            security_logger.warning("%s", exc)
            if _is_api(request):
                return JsonResponse({"detail": "Bad request."}, status=400)
            return HttpResponseBadRequest(loader.render_to_string("400.html"))
        return self.get_response(request)


API_ERROR_DETAIL = {
    400: "Bad request.",
    403: "Forbidden.",
    404: "Not found.",
    405: "Method not allowed.",
    500: "Something went wrong on our side. It has been logged.",
}


class ApiErrorMiddleware:
    """Every /api/ answer is JSON: an error response that is not (Django's 404 for an unknown
    path, ninja's bare 405, the 500 page or, with DEBUG on, a traceback) becomes
    ``{"detail": ...}`` with the same status and nothing else of the original body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (not _is_api(request) or response.status_code < 400 or response.streaming
                or response.get("Content-Type", "").startswith("application/json")):
            return response
        status = response.status_code
        detail = API_ERROR_DETAIL.get(status) or (response.reason_phrase or "Error") + "."
        replacement = JsonResponse({"detail": detail}, status=status)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        return replacement

class PageErrorMiddleware:
    """Pages: a domain ``NotFound`` that leaves a view is the site's 404 page, a domain
    ``PermissionDenied`` its 403 page, handled exactly as Django's own ``Http404`` and
    ``PermissionDenied`` (same handlers, templates and logging), so views need no mapping of
    their own. The API maps domain errors to JSON itself (neighbourly/api.py): /api/ is left alone.

    A view that shows ``ApplicationError``s as a message but still answers 404 for a missing
    object lets it through with ``except NotFound: raise`` before its ``except ApplicationError``.

    A bad paging cursor (``InvalidCursor``) is no error page: the list's first page (the same
    address without ``cursor``) with the message. htmx (loading more) is sent there whole."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if _is_api(request):
            return None
        if isinstance(exception, NotFound):
            return response_for_exception(request, Http404())
        if isinstance(exception, PermissionDenied):
            return response_for_exception(request, DjangoPermissionDenied(exception.message))
        if isinstance(exception, InvalidCursor):
            return _first_page(request, exception)
        return None


def _first_page(request, exception: InvalidCursor) -> HttpResponse:
    query = request.GET.copy()
    query.pop("cursor", None)
    url = request.path + (f"?{query.urlencode()}" if query else "")
    messages.error(request, exception.message)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


TOO_LARGE = "The request is too large."


def _too_large(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": TOO_LARGE}, status=413)
    return HttpResponse(TOO_LARGE, status=413, content_type="text/plain; charset=utf-8")


class RequestSizeMiddleware:
    """Oversized requests get a clear 413 (JSON under /api/), never a 400 page or a 500.

    Refuses up front anything whose Content-Length passes the overall cap (uploads included),
    and maps Django's RequestDataTooBig (non-file body over DATA_UPLOAD_MAX_MEMORY_SIZE).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.NEIGHBOURLY_MAX_REQUEST_BYTES:
            return _too_large(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return _too_large(request)
        return None


NUL_REFUSED = "Text must not contain NUL (\\u0000) characters."


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class NulCharacterMiddleware:
    """API input with a NUL character is refused with a clear 400 before it reaches a service.

    No text field can hold one on PostgreSQL (it would be a database error), and none means
    anything to a person. Page forms already refuse them (Django's form fields do)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and self._has_nul(request):
            return JsonResponse({"detail": NUL_REFUSED}, status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or any(_has_nul(k) or _has_nul(v) for k, v in request.GET.lists()):
            return True
        if request.content_type != "application/json":
            return False
        try:
            if b"\\u0000" not in request.body:
                return False
        except RequestDataTooBig:
            return False  # the view's body access raises it again and RequestSizeMiddleware answers 413
        try:
            return _has_nul(json.loads(request.body))
        except ValueError:
            return False  # not JSON: ninja answers that with its own 400
