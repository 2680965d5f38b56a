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
