"""Opaque keyset cursors: `{"items": [...], "next_cursor": ...}` without OFFSET."""

import base64
import binascii
import json

from neighbourly.core.errors import ApplicationError


def cursor_encode(values: dict) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str | None) -> dict | None:
    """The values a cursor carries, or None for the first page; a mangled cursor is a 400."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise ApplicationError("Invalid cursor.") from exc
    if not isinstance(values, dict):
        raise ApplicationError("Invalid cursor.")
    return values
