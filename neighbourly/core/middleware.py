import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse

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
