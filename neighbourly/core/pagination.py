"""Keyset pagination: one cursor codec and one paginator for every list (`{"items": [...],
"next_cursor": ...}`), never OFFSET.

A cursor is an opaque, URL-safe token for an ordered tuple of keys (say `(created_at, id)` of
the last row served). Its values keep their types: ints, strings, booleans, dates, and
datetimes with their timezone. It is signed, so a damaged, forged or stale cursor, or one
whose keys do not have the shape the list expects, raises `InvalidCursor` (400): the API
answers `{"detail": ...}`, a page shows its first page with the message.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.crypto import constant_time_compare, salted_hmac

from neighbourly.core.errors import InvalidCursor

__all__ = ["InvalidCursor", "cursor_decode", "cursor_encode", "keyset_filter", "keyset_page"]

_SALT = "neighbourly.core.pagination.cursor"
_SIGNATURE_BYTES = 12
MAX_CURSOR_LENGTH = 500
_INT_RANGE = range(-(2**63), 2**63)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: str) -> str:
    return _b64(salted_hmac(_SALT, payload, algorithm="sha256").digest()[:_SIGNATURE_BYTES])


def _pack(value: Any):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        if value not in _INT_RANGE:
            raise ValueError(f"{value} does not fit a cursor")
        return value
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    raise TypeError(f"A cursor cannot carry a {type(value).__name__}")


def _unpack(raw: Any):
    if raw is None or isinstance(raw, (bool, str)):
        return raw
    if isinstance(raw, int) and raw in _INT_RANGE:
        return raw
    if isinstance(raw, dict) and len(raw) == 1:
        ((tag, text),) = raw.items()
        if isinstance(text, str) and tag == "t":
            value = datetime.fromisoformat(text)
            if value.tzinfo is not None:
                return value
        elif isinstance(text, str) and tag == "d":
            return date.fromisoformat(text)
    raise ValueError("not a cursor value")


def cursor_encode(*values) -> str:
    """The opaque token for `values` (an ordered tuple of keys)."""
    payload = _b64(json.dumps([_pack(v) for v in values], separators=(",", ":")).encode())
    return f"{payload}.{_signature(payload)}"


def cursor_decode(cursor: str | None, *, types: Sequence[type]) -> tuple | None:
    """The values a cursor carries, or None for the first page (no cursor). `types` is the shape
    the list expects, one type per key; anything else raises InvalidCursor."""
    if not cursor:
        return None
    try:
        payload, signature = cursor.split(".")
        if len(cursor) > MAX_CURSOR_LENGTH or not constant_time_compare(signature, _signature(payload)):
            raise InvalidCursor()
        raw = json.loads(_unb64(payload))
        if not isinstance(raw, list):
            raise InvalidCursor()
        values = tuple(_unpack(v) for v in raw)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, OverflowError) as exc:
        raise InvalidCursor() from exc
    if len(values) != len(types) or any(type(v) is not t for v, t in zip(values, types, strict=True)):
        raise InvalidCursor()
    return values


# --- the paginator -----------------------------------------------------------------------------

_TYPES_BY_FIELD = {
    "AutoField": int, "BigAutoField": int, "SmallAutoField": int, "IntegerField": int, "BigIntegerField": int,
    "SmallIntegerField": int, "PositiveIntegerField": int, "PositiveBigIntegerField": int,
    "PositiveSmallIntegerField": int, "CharField": str, "TextField": str, "SlugField": str, "EmailField": str,
    "DateTimeField": datetime, "DateField": date, "BooleanField": bool,
}


def _key_types(model, keys: Sequence[str]) -> tuple[type, ...]:
    types = []
    for key in keys:
        opts, field = model._meta, None
        for part in key.split("__"):
            field = opts.pk if part == "pk" else opts.get_field(part)
            if field.is_relation:
                opts = field.related_model._meta
                field = field.target_field if field.many_to_one or field.one_to_one else field
        types.append(_TYPES_BY_FIELD[field.get_internal_type()])
    return tuple(types)


def _key_value(row, key: str):
    value = row
    for part in key.split("__"):
        value = getattr(value, part)
    return value


def keyset_filter(keys: Sequence[str], values: Sequence, *, descending: bool) -> Q:
    """The rows after `values` in the order of `keys` (all descending or all ascending): with
    keys (a, b) descending, `a <= x AND (a < x OR (a = x AND b < y))`. The bound on the first key
    keeps it one index range; the rest only sorts out the ties at its edge."""
    op = "lt" if descending else "gt"
    after = Q()
    for i, key in enumerate(keys):
        after |= Q(**{k: v for k, v in zip(keys[:i], values[:i], strict=True)}, **{f"{key}__{op}": values[i]})
    if len(keys) == 1:
        return after
    return Q(**{f"{keys[0]}__{op}e": values[0]}) & after


def keyset_page(
    queryset: QuerySet,
    *,
    keys: Sequence[str],
    cursor: str | None,
    size: int,
    descending: bool = True,
    types: Sequence[type] | None = None,
    fetch: Callable[[QuerySet, int], list] | None = None,
) -> tuple[list, str | None]:
    """One page of `queryset` in the order of `keys` (the last one unique, usually "id"), after
    `cursor`: `size` + 1 rows in one query (`fetch(queryset, n)` fetches them when the rows need
    more than slicing), so deep pages cost what the first does. Returns (rows, next_cursor).
    `types` is only needed for keys that are not model fields (annotations)."""
    position = cursor_decode(cursor, types=types or _key_types(queryset.model, keys))
    if position is not None:
        queryset = queryset.filter(keyset_filter(keys, position, descending=descending))
    queryset = queryset.order_by(*(f"-{k}" if descending else k for k in keys))
    rows = fetch(queryset, size + 1) if fetch else list(queryset[: size + 1])
    if len(rows) <= size:
        return rows, None
    last = rows[size - 1]
    return rows[:size], cursor_encode(*(_key_value(last, k) for k in keys))
