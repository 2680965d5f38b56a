"""Who is online, kept in the cache (Redis in scale-out) with expiry: never a DB write per heartbeat.

Each stream ("conversation:ID" or "community:ID") has one cache entry: {user_id: expires_at}.
Sockets refresh their user's entry on subscribe and on every heartbeat; entries past their expiry
are dropped when read. The read-modify-write can lose a concurrent update across processes; the
next heartbeat puts it back, which is good enough for an "online" dot.
"""

import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache

PRESENCE_TTL_S = getattr(settings, "NEIGHBOURLY_PRESENCE_TTL_S", 60)
logger = logging.getLogger(__name__)


def _tolerant(default):
    """Presence is best effort: with the cache (Redis) away, report nobody rather than fail a socket."""

    def wrap(fn):
        @functools.wraps(fn)
        def inner(**kwargs):
            try:
                return fn(**kwargs)
            except Exception:  # noqa: BLE001
                logger.warning("presence unavailable", exc_info=True)
                return default() if callable(default) else default

        return inner

    return wrap


def _key(stream: str) -> str:
    return f"presence:{stream}"


def _alive(entries: dict, now: float) -> dict:
    return {uid: exp for uid, exp in entries.items() if exp > now}


@_tolerant(lambda: ([], False))
def presence_touch(*, stream: str, user_id: int) -> tuple[list[int], bool]:
    """Mark the user online in the stream. Returns (online user ids, whether the user was new)."""
    now = time.time()
    entries = _alive(cache.get(_key(stream)) or {}, now)
    was_new = user_id not in entries
    entries[user_id] = now + PRESENCE_TTL_S
    cache.set(_key(stream), entries, timeout=PRESENCE_TTL_S * 2)
    return sorted(entries), was_new


@_tolerant(list)
def presence_leave(*, stream: str, user_id: int) -> list[int]:
    now = time.time()
    entries = _alive(cache.get(_key(stream)) or {}, now)
    entries.pop(user_id, None)
    cache.set(_key(stream), entries, timeout=PRESENCE_TTL_S * 2)
    return sorted(entries)


@_tolerant(list)
def presence_online(*, stream: str) -> list[int]:
    return sorted(_alive(cache.get(_key(stream)) or {}, time.time()))
