"""Offers in the community feed, through the feed's source interface (neighbourly.feed.assembly).

One offer after every `every` posts, at most `per_page` per page, so neighbours' posts stay the
majority; page n shows the next offers (the cursor carries the page number). One query per
page, and one cache increment per offer shown (impressions).
"""

from neighbourly.merchants.selectors import offer_list_for_feed
from neighbourly.merchants.stats import impressions_count

LABEL = "Local offer"


class OfferFeedSource:
    type = "offer"
    every = 5
    per_page = 2
    queries = 1
    template = "merchants/offer.html#feed-card"

    def fetch(self, *, viewer, context, page: int, limit: int):
        offers = offer_list_for_feed(
            viewer=viewer, community_id=context.community.id, offset=page * self.per_page, limit=limit
        )
        impressions_count(offer_ids=[o.id for o in offers])
        return offers

    def to_api(self, item, *, viewer) -> dict:
        return offer_to_feed_dict(item)


def offer_to_feed_dict(offer) -> dict:
    return {
        "id": offer.id,
        "label": LABEL,
        "title": offer.title,
        "body": offer.body,
        "business": {"id": offer.business_id, "name": offer.business.name, "verified": offer.business.is_verified},
        "starts_at": offer.starts_at.isoformat(),
        "ends_at": offer.ends_at.isoformat(),
        "remaining": offer.remaining,
        "image_url": f"/offers/{offer.id}/image/" if offer.image else None,
        "saved": bool(getattr(offer, "saved_by_me", False)),
        "claimed": bool(getattr(offer, "claimed_by_me", False)),
    }
