"""Rate limits on writes that could be used to flood a community: one mechanism for all of them.

Each action has a budget per member and one per client address (several neighbours can share an
address, so that one is larger), counted in fixed windows in Django's cache: an atomic `add`
then `incr` on a key that expires with its window (Redis in production, so every process shares
the count). Over budget raises core.errors.RateLimited: 429 `{"detail": …}` in the API, a
message on the page. Services call `rate_limit(action, user=…, ip=…)`; the entry points pass
the client address (`client_ip(request)`). A cache outage lets the request through (logged).

Budgets are "count/period" (period s, m, h or d); `None` means no limit of that kind. Operators
override any of them with the setting NEIGHBOURLY_RATE_LIMITS = {action: (per_member, per_address)}.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache

from neighbourly.core.errors import RateLimited

logger = logging.getLogger(__name__)

DEFAULT_LIMITS: dict[str, tuple[str | None, str | None]] = {
    # action: (per member, per client address)
    "signup": (None, "10/h"),
    "post": ("20/h", "60/h"),
    "comment": ("60/h", "200/h"),
    "report": ("30/h", "100/h"),
    "conversation": ("20/h", "60/h"),
    "offer_claim": ("30/h", "100/h"),
    "business": ("3/d", "10/d"),
    "address_claim": ("5/d", "20/d"),
}

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MESSAGES = {
    "signup": "Too many sign-ups from your network. Try again later.",
    "post": "You have posted a lot in a short time. Try again later.",
    "comment": "You have commented a lot in a short time. Try again later.",
    "report": "You have sent many reports in a short time. Try again later.",
    "conversation": "You have started many conversations in a short time. Try again later.",
    "offer_claim": "You have claimed many offers in a short time. Try again later.",
    "business": "You have registered several businesses today. Try again tomorrow.",
    "address_claim": "You have made several address claims today. Try again tomorrow.",
}


def parse(budget: str) -> tuple[int, int]:
    """'20/h' -> (20, 3600)."""
    count, _, period = budget.partition("/")
    return int(count), PERIODS[period.strip()[-1]] * int(period.strip()[:-1] or 1)


def limits(action: str) -> tuple[str | None, str | None]:
    overrides = getattr(settings, "NEIGHBOURLY_RATE_LIMITS", {}) or {}
    return overrides.get(action, DEFAULT_LIMITS[action])


def client_ip(request) -> str:
    """The client address as the server sees it (REMOTE_ADDR: behind PROXY_COUNT trusted proxies,
    the server has already put the real client there)."""
    return request.META.get("REMOTE_ADDR", "") or ""


def _over(key: str, budget: str) -> bool:
    count, period = parse(budget)
    window_key = f"rl:{key}:{int(time.time() // period)}"
    try:
        if cache.add(window_key, 1, timeout=period + 1):
            return count < 1
        try:
            return cache.incr(window_key) > count
        except ValueError:  # the window expired between add and incr: this is its first hit
            cache.add(window_key, 1, timeout=period + 1)
            return count < 1
    except Exception:  # noqa: BLE001 - cache away: let the write through rather than fail it
        logger.warning("rate limit %s not checked: cache unavailable", key, exc_info=True)
        return False


def rate_limit(action: str, *, user=None, ip: str | None = None) -> None:
    """Count one `action` by `user` and from `ip`; RateLimited if either is over its budget."""
    per_user, per_ip = limits(action)
    if per_user and user is not None and getattr(user, "pk", None) and _over(f"{action}:u:{user.pk}", per_user):
        raise RateLimited(MESSAGES.get(action, "Too many requests. Try again later."))
    if per_ip and ip and _over(f"{action}:ip:{ip}", per_ip):
        raise RateLimited(MESSAGES.get(action, "Too many requests. Try again later."))
