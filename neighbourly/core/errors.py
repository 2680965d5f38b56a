"""Domain errors. Services raise these; the API and the pages map them in one place each."""


class ApplicationError(Exception):
    """A request that cannot be done as asked: shown to the user, HTTP 400."""

    status_code = 400

    def __init__(self, message: str, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class InvalidCursor(ApplicationError):
    """A paging cursor that is damaged, forged, stale or for another list (HTTP 400). The API
    answers it as any ApplicationError; a page shows its first page with the message instead
    (core.middleware.PageErrorMiddleware)."""

    def __init__(self, message: str = "That cursor is not valid; start again from the first page."):
        super().__init__(message)


class NotFound(ApplicationError):
    """Missing, or not visible to this user: both look the same from outside (404)."""

    status_code = 404

    def __init__(self, message: str = "Not found."):
        super().__init__(message)


class PermissionDenied(ApplicationError):
    """The user can see the object but may not do this to it (403)."""

    status_code = 403


class Conflict(ApplicationError):
    status_code = 409


class RateLimited(ApplicationError):
    status_code = 429


class NotAuthenticated(ApplicationError):
    status_code = 401
