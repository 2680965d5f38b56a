"""Offers in the community feed, through the feed's source interface (neighbourly.feed.assembly).

One offer after every `every` posts, at most `per_page` per page, so neighbours' posts stay the
majority; page n shows the next offers (the cursor carries the page number). The offers come
from feed_cache (no query while nothing changed; one when it did), and so do the viewer's own
saves and claims; impressions are one cache increment per offer shown.
"""

from dataclasses import replace

from neighbourly.merchants.feed_cache import community_offers, viewer_marks
from neighbourly.merchants.stats import impressions_count

LABEL = "Local offer"


class OfferFeedSource:
    type = "offer"
    every = 5
    per_page = 2
    queries = 0  # with a warm cache; at most 2 (offers, the viewer's marks) after a change
    template = "merchants/offer.html#feed-card"

    def fetch(self, *, viewer, context, page: int, limit: int):
        start = page * self.per_page
        offers = community_offers(community_id=context.community.id)[start : start + limit]
        if not offers:
            return []
        saved, claimed = viewer_marks(viewer=viewer)
        impressions_count(offer_ids=[o.id for o in offers])
        return [replace(o, saved_by_me=o.id in saved, claimed_by_me=o.id in claimed) for o in offers]

    def to_api(self, item, *, viewer) -> dict:
        return offer_to_feed_dict(item)


def offer_to_feed_dict(offer) -> dict:
    return {
        "id": offer.id,
        "label": LABEL,
        "title": offer.title,
        "body": offer.body,
        "business": {"id": offer.business.id, "name": offer.business.name, "verified": offer.business.is_verified},
        "starts_at": offer.starts_at.isoformat(),
        "ends_at": offer.ends_at.isoformat(),
        "remaining": offer.remaining,
        "image_url": f"/offers/{offer.id}/image/" if offer.image else None,
        "saved": offer.saved_by_me,
        "claimed": offer.claimed_by_me,
    }
