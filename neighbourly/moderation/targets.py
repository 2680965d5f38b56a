"""What can be reported, and how moderation reaches into the app that owns it.

Each reportable type has an adapter in its own app (`<app>/moderation.py`), listed here by dotted
path. An adapter has:
  resolve(*, viewer, target_id) -> community_id   access check (NotFound if viewer cannot see it)
  describe(*, ids) -> {id: TargetInfo}            the items in context, batched (a fixed number of queries)
  hide(*, target_id); unhide(*, target_id, original)  take out of / put back (original: text when hidden)
A type whose adapter module is not installed (an app not built yet) cannot be reported.
"""

from dataclasses import dataclass
from functools import cache

from django.utils.module_loading import import_string

from neighbourly.moderation.models import TargetType

ADAPTERS = {
    TargetType.POST: "neighbourly.feed.moderation.POST",
    TargetType.COMMENT: "neighbourly.feed.moderation.COMMENT",
    TargetType.MESSAGE: "neighbourly.realtime.moderation.MESSAGE",
    TargetType.GROUP: "neighbourly.groups.moderation.GROUP",
    TargetType.BUSINESS: "neighbourly.merchants.moderation.BUSINESS",
    TargetType.OFFER: "neighbourly.merchants.moderation.OFFER",
}


@dataclass
class TargetInfo:
    """One reported item as moderators see it in the queue."""

    author_id: int | None
    title: str  # e.g. the post title, or "Comment on 'Lost cat'"
    text: str  # the content itself (moderators only)
    url: str = ""  # where it lives, for moderators
    hidden: bool = False


@cache
def adapter(target_type: str):
    """The adapter for a type, or None when that type cannot be reported here."""
    path = ADAPTERS.get(target_type)
    if path is None:
        return None
    try:
        return import_string(path)
    except ImportError:
        return None


def reportable_types() -> list[str]:
    return [t for t in ADAPTERS if adapter(t) is not None]


def describe_many(pairs) -> dict[tuple[str, int], TargetInfo]:
    """(type, id) pairs -> TargetInfo, one batch per type."""
    by_type: dict[str, list[int]] = {}
    for target_type, target_id in pairs:
        by_type.setdefault(target_type, []).append(target_id)
    found = {}
    for target_type, ids in by_type.items():
        impl = adapter(target_type)
        if impl is None:
            continue
        for target_id, info in impl.describe(ids=ids).items():
            found[(target_type, target_id)] = info
    return found
