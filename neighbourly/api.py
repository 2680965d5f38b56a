"""The one NinjaAPI: /api/v1/. Routers are mounted by app; errors are mapped here only."""

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import DataError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from neighbourly.accounts.selectors import api_token_get_active
from neighbourly.accounts.services import api_token_touch
from neighbourly.core.errors import ApplicationError
from neighbourly.core.validation import validation_message


class TokenAuth(HttpBearer):
    """`Authorization: Bearer nbly_…` personal tokens, for scripts. Never needs CSRF."""

    def authenticate(self, request, token):
        api_token = api_token_get_active(raw_token=token)
        if api_token is None:
            return None
        api_token_touch(token=api_token)
        request.user = api_token.user
        return api_token.user


class BrowserSessionAuth(SessionAuth):
    """The browser's session cookie; writes need the CSRF header (ninja checks it)."""


api = NinjaAPI(
    title="Neighbourly API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), BrowserSessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request, status: int, detail, **extra):
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    return _error(request, exc.status_code, exc.message, **exc.extra)


@api.exception_handler(ValidationError)
def django_validation_error(request, exc: ValidationError):
    return _error(request, 400, validation_message(exc))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "Not found.")


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    return _error(request, 401, "Log in, or send a personal token as 'Authorization: Bearer …'.")


@api.exception_handler(NinjaValidationError)
def invalid_input(request, exc: NinjaValidationError):
    return _error(request, 422, exc.errors)


@api.exception_handler(RequestDataTooBig)
def too_large(request, exc):
    return _error(request, 413, "The request is too large.")


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def out_of_range(request, exc):
    # An id or number past what the database column holds: nothing can match it, so say so
    # plainly rather than 500. (SQLite raises OverflowError, PostgreSQL a DataError.)
    return _error(request, 400, "A number in the request is out of range.")


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, exc.status_code, str(exc))


api.add_router("", "neighbourly.accounts.api.router")
api.add_router("", "neighbourly.communities.api.router")
api.add_router("", "neighbourly.verification.api.router")
api.add_router("", "neighbourly.notifications.api.router")
api.add_router("", "neighbourly.realtime.api.router")
api.add_router("", "neighbourly.feed.api.router")
api.add_router("", "neighbourly.moderation.api.router")
api.add_router("", "neighbourly.groups.api.router")
api.add_router("", "neighbourly.merchants.api.router")
