"""Offers for the feed without a query on the hot path.

Every feed page asks for its community's live offers. They change rarely (a publish, a claim,
a moderator's decision, the close task) while feeds are read all the time, so the list is
kept in the cache per community as small snapshots, under a version that every change bumps
(at once and again after its commit); readers on the old version simply miss. The validity
window is checked at read time, so an offer that starts or ends between two changes is right
without any bump. Whether the viewer saved or claimed each offer is kept per viewer and
dropped when they save or claim.

A cache outage falls back to the database: the feed never fails because of the cache.
"""

from dataclasses import dataclass
from datetime import datetime
import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

VERSION_KEY = "merchants:feed-offers:version"
OFFERS_KEY = "merchants:feed-offers:{community_id}:{version}"
MARKS_KEY = "merchants:offer-marks:{user_id}"
OFFERS_TTL = 300  # a safety net for edits that bypass the services (the admin)
MARKS_TTL = 120
MAX_OFFERS = 40  # per community: 20 pages of offers at two a page


@dataclass(frozen=True)
class FeedBusiness:
    id: int
    name: str
    is_verified: bool


@dataclass(frozen=True)
class FeedOffer:
    """What a feed card shows of an offer (the same attribute names as the model)."""

    id: int
    title: str
    body: str
    image: str
    starts_at: datetime
    ends_at: datetime
    remaining: int
    business: FeedBusiness
    saved_by_me: bool = False
    claimed_by_me: bool = False

    @property
    def business_id(self) -> int:
        return self.business.id


def _snapshot(offer) -> FeedOffer:
    business = FeedBusiness(id=offer.business_id, name=offer.business.name, is_verified=offer.business.is_verified)
    return FeedOffer(id=offer.id, title=offer.title, body=offer.body, image=offer.image, starts_at=offer.starts_at,
                     ends_at=offer.ends_at, remaining=offer.remaining, business=business)


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - the cache is an optimisation, never a dependency
        logger.warning("cache unavailable for %s", key, exc_info=True)
        return None


def _cache_set(key: str, value, ttl: int) -> None:
    try:
        cache.set(key, value, ttl)
    except Exception:  # noqa: BLE001
        logger.warning("cache unavailable for %s", key, exc_info=True)


def community_offers(*, community_id: int) -> list[FeedOffer]:
    """The community's live offers, newest first: from the cache, or one query."""
    from neighbourly.merchants.selectors import offer_list_live_for_community

    version = _cache_get(VERSION_KEY) or 0
    key = OFFERS_KEY.format(community_id=community_id, version=version)
    offers = _cache_get(key)
    if offers is None:
        offers = [_snapshot(o) for o in offer_list_live_for_community(community_id=community_id, limit=MAX_OFFERS)]
        _cache_set(key, offers, OFFERS_TTL)
    now = timezone.now()
    return [o for o in offers if o.starts_at <= now < o.ends_at]


def viewer_marks(*, viewer) -> tuple[frozenset[int], frozenset[int]]:
    """(ids of offers the viewer saved, ids they claimed): from the cache, or one query."""
    from neighbourly.merchants.selectors import offer_marks_for_viewer

    key = MARKS_KEY.format(user_id=viewer.pk)
    marks = _cache_get(key)
    if marks is None:
        marks = offer_marks_for_viewer(viewer=viewer)
        _cache_set(key, marks, MARKS_TTL)
    return marks


def _now_and_after_commit(fn) -> None:
    # Now, so that this transaction's own reads (and tests) see the change at once; and again
    # after the commit, in case another reader cached the old rows in between.
    fn()
    transaction.on_commit(fn)


def _bump_version() -> None:
    try:
        if not cache.add(VERSION_KEY, 1, timeout=None):
            cache.incr(VERSION_KEY)
    except Exception:  # noqa: BLE001 - the TTL still bounds how stale a list can get
        logger.warning("could not bump the feed offers version", exc_info=True)


def feed_offers_changed() -> None:
    """Call from any service that changes what a feed's offers look like."""
    _now_and_after_commit(_bump_version)


def viewer_marks_changed(*, user_id: int) -> None:
    def drop():
        try:
            cache.delete(MARKS_KEY.format(user_id=user_id))
        except Exception:  # noqa: BLE001
            logger.warning("could not drop offer marks of user %s", user_id, exc_info=True)

    _now_and_after_commit(drop)
