"""Merchants' side of moderation (see neighbourly/moderation/targets.py; registered in apps.py): residents report a
business or an offer they can see; hiding one takes it out of every feed, panel and directory
(its owners still see it, marked), and an overturned decision brings it back."""

from django.utils import timezone

from neighbourly.core.errors import NotFound
from neighbourly.merchants.feed_cache import feed_offers_changed
from neighbourly.merchants.models import Business, Offer
from neighbourly.merchants.selectors import business_get_for_viewer, offer_get_for_viewer
from neighbourly.core.plugins import TargetInfo


class _BusinessTarget:
    def resolve(self, *, viewer, target_id: int) -> int:
        business = business_get_for_viewer(viewer=viewer, business_id=target_id)
        if business.resident_community_id is None or not business.is_verified:
            raise NotFound()  # only residents who see it as a local business report it
        return business.resident_community_id

    def describe(self, *, ids) -> dict[int, TargetInfo]:
        rows = Business.objects.filter(pk__in=ids).only("id", "created_by_id", "name", "description", "hidden_at")
        return {
            b.id: TargetInfo(author_id=b.created_by_id, title=f"Business “{b.name}”", text=b.description,
                             url=f"/businesses/{b.id}/", hidden=b.hidden_at is not None)
            for b in rows
        }

    def hide(self, *, target_id: int) -> None:
        Business.objects.filter(pk=target_id, hidden_at__isnull=True).update(hidden_at=timezone.now())
        feed_offers_changed()

    def unhide(self, *, target_id: int, original: str = "") -> None:
        Business.objects.filter(pk=target_id).update(hidden_at=None)
        feed_offers_changed()


class _OfferTarget:
    def resolve(self, *, viewer, target_id: int) -> int:
        offer = offer_get_for_viewer(viewer=viewer, offer_id=target_id)
        if offer.viewer_community_id is None:
            raise NotFound()
        return offer.viewer_community_id

    def describe(self, *, ids) -> dict[int, TargetInfo]:
        rows = Offer.objects.filter(pk__in=ids).select_related("business").only(
            "id", "created_by_id", "title", "body", "hidden_at", "business__id", "business__name"
        )
        return {
            o.id: TargetInfo(author_id=o.created_by_id, title=f"Offer “{o.title}” by {o.business.name}", text=o.body,
                             url=f"/offers/{o.id}/", hidden=o.hidden_at is not None)
            for o in rows
        }

    def hide(self, *, target_id: int) -> None:
        Offer.objects.filter(pk=target_id, hidden_at__isnull=True).update(hidden_at=timezone.now())
        feed_offers_changed()

    def unhide(self, *, target_id: int, original: str = "") -> None:
        Offer.objects.filter(pk=target_id).update(hidden_at=None)
        feed_offers_changed()


BUSINESS = _BusinessTarget()
OFFER = _OfferTarget()
