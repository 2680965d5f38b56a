"""Feed assembly: posts, newest first, with other sources' items slotted in at a fixed rhythm.

A source (the merchants app adds offers) implements `FeedSource` and registers itself in the
`feed_sources_registry` from its AppConfig.ready() (the one plug-in mechanism, core/plugins.py). Each source costs a
fixed number of queries per page (`queries`, at most one is the intent) whatever the page size,
so the page keeps a constant query count. Sources only join the unfiltered community feed
(never a group's feed).
"""

from dataclasses import dataclass
from typing import Any, Protocol

from django.utils import timezone

from neighbourly.core.errors import ApplicationError
from neighbourly.core.plugins import Registry
from neighbourly.feed.selectors import MAX_PAGE_SIZE, PAGE_SIZE, Cursor, FeedContext, post_list_for_feed


class FeedSource(Protocol):
    type: str  # the item's "type" in the API ("offer")
    every: int  # one item after every `every` posts
    per_page: int  # cap per page
    queries: int  # queries `fetch` makes per page (constant)
    template: str  # partial that renders one item, given `item` (e.g. "merchants/offer.html#feed-card")

    def fetch(self, *, viewer, context: FeedContext, page: int, limit: int) -> list[Any]: ...

    def to_api(self, item: Any, *, viewer) -> dict: ...


feed_sources_registry: Registry[FeedSource] = Registry("feed sources")


def feed_sources() -> list[FeedSource]:
    return list(feed_sources_registry)


@dataclass
class FeedItem:
    type: str
    obj: Any
    source: FeedSource | None = None


@dataclass
class FeedPage:
    items: list[FeedItem]
    next_cursor: str | None
    since: str | None = None  # first page / newer posts: where the live "N new posts" starts counting


def _since(posts, fallback: Cursor | None) -> str:
    """The newest post's position; an empty feed counts from now."""
    if posts:
        return Cursor(created_at=posts[0].created_at, id=posts[0].id, page=0).encode()
    return (fallback or Cursor(created_at=timezone.now(), id=0, page=0)).encode()


def feed_newer_assemble(*, viewer, context: FeedContext, since: str | None, kind: str | None = None) -> FeedPage:
    """The posts published since the page was shown (others' only), newest first, for "N new posts"."""
    position = Cursor.decode(since)
    if position is None:
        raise ApplicationError("Say since when.")
    posts = post_list_for_feed(viewer=viewer, context=context, since=position, kind=kind, limit=MAX_PAGE_SIZE)
    return FeedPage(items=[FeedItem("post", post) for post in posts], next_cursor=None,
                    since=_since(posts, position))


def feed_page_assemble(
    *, viewer, context: FeedContext, cursor: str | None = None, kind: str | None = None, limit: int = PAGE_SIZE
) -> FeedPage:
    position = Cursor.decode(cursor)
    posts = post_list_for_feed(viewer=viewer, context=context, cursor=position, kind=kind, limit=limit + 1)
    has_more = len(posts) > limit
    posts = posts[:limit]
    page = position.page + 1 if position else 0
    items = [FeedItem("post", post) for post in posts]
    if not kind and context.group_id is None:
        for source in feed_sources():
            slots = min(source.per_page, len(posts) // max(source.every, 1))
            extra = source.fetch(viewer=viewer, context=context, page=page, limit=slots) if slots else []
            # Insert from the end, each after its n-th run of `every` posts: the earlier inserts
            # then shift the later ones by one, so exactly `every` posts sit between two items.
            for n in range(len(extra), 0, -1):
                items.insert(n * source.every, FeedItem(source.type, extra[n - 1], source))
    next_cursor = None
    if has_more:
        last = posts[-1]
        next_cursor = Cursor(created_at=last.created_at, id=last.id, page=page).encode()
    return FeedPage(items=items, next_cursor=next_cursor, since=None if position else _since(posts, None))
