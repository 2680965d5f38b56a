"""Error reports (the DEBUG technical page, admin error e-mails) never show a password in a URL.

Django masks settings whose *name* looks secret (PASSWORD, KEY, TOKEN…), but DATABASE_URL,
REDIS_URL, EMAIL_URL, CELERY_BROKER_URL, a cache LOCATION or a channel layer's hosts carry their
credentials inside the value: ``postgres://user:secret@db/neighbourly``. This filter removes the
userinfo (``user:secret@``) from every string that looks like a URL — in settings, request
metadata and traceback variables — whether DEBUG is on or off.
"""

import pprint
import re

from django.views.debug import SafeExceptionReporterFilter

# scheme://userinfo@ : the userinfo is everything up to the last "@" before the host part.
URL_USERINFO = re.compile(r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<userinfo>[^/?#\s@]*(?:@[^/?#\s@]*)*)@")
REDACTED = "********"


def redact_url_userinfo(text: str) -> str:
    """``redis://:pw@host:6379/0`` -> ``redis://********@host:6379/0``; other text unchanged."""
    return URL_USERINFO.sub(lambda m: f"{m['scheme']}{REDACTED}@", text)


def _redact(value):
    if isinstance(value, str):
        return redact_url_userinfo(value)
    if isinstance(value, dict):
        return {k: _redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_redact(v) for v in value)
    return value


class _Redacted:
    """Shown by its repr on the technical page: an object whose repr held a URL with a password."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _redact_any(value):
    if isinstance(value, str | dict | list | tuple):
        return _redact(value)
    try:
        text = pprint.pformat(value)
    except Exception:  # noqa: BLE001 - a broken repr: leave it to Django, which copes
        return value
    redacted = redact_url_userinfo(text)
    return value if redacted == text else _Redacted(redacted)


class UrlCredentialsFilter(SafeExceptionReporterFilter):
    def cleanse_setting(self, key, value):
        return _redact(super().cleanse_setting(key, value))

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [(name, _redact_any(value)) for name, value in variables]
