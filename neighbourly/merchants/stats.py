"""Impressions, counted cheaply: one cache increment per offer per feed page, never a database
write on the hot path. A periodic task moves the counts into `Offer.impressions`.

The flush reads a counter and then decrements it by what it read (atomic in Redis and locmem),
so increments that land in between are kept for the next flush rather than lost.
"""

from django.core.cache import cache
from django.db.models import F

from neighbourly.merchants.models import Offer, OfferStatus

KEY = "merchants:impressions:{}"


def _key(offer_id: int) -> str:
    return KEY.format(offer_id)


def impressions_count(*, offer_ids: list[int]) -> None:
    for offer_id in offer_ids:
        key = _key(offer_id)
        try:
            try:
                cache.incr(key)
            except ValueError:  # no counter yet
                if not cache.add(key, 1, timeout=None):
                    cache.incr(key)
        except Exception:  # noqa: BLE001 - a cache outage must never break the feed
            return


def impressions_pending(*, offer_ids: list[int]) -> dict[int, int]:
    """Counted in the cache and not yet flushed, per offer (0 if the cache is away)."""
    if not offer_ids:
        return {}
    try:
        counts = cache.get_many([_key(i) for i in offer_ids])
    except Exception:  # noqa: BLE001
        counts = {}
    return {i: int(counts.get(_key(i)) or 0) for i in offer_ids}


def impressions_flush(*, offer_ids: list[int] | None = None) -> int:
    """Move cached impressions into the database; returns how many were moved."""
    if offer_ids is None:
        # Live offers, and those closed recently enough that a counter may still be pending.
        offer_ids = list(
            Offer.objects.filter(status=OfferStatus.LIVE).values_list("id", flat=True)
        ) + list(Offer.objects.filter(status=OfferStatus.CLOSED).order_by("-closed_at").values_list("id", flat=True)[:200])
    moved = 0
    for offer_id, n in impressions_pending(offer_ids=offer_ids).items():
        if n <= 0:
            continue
        cache.decr(_key(offer_id), n)
        Offer.objects.filter(pk=offer_id).update(impressions=F("impressions") + n)
        moved += n
    return moved
