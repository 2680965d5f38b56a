"""Personal data held by merchants (see accounts/privacy.py): businesses a member owns, offers
they saved and claimed, businesses they recommend.

Erasure: a business whose only owner leaves is deleted with its offers, images and document
(nobody is left to answer for it); a co-owned one stays with the other owners. Offer statistics
keep their counts (they are the merchant's numbers, not the member's data)."""

from django.db import transaction
from django.db.models import Count

from neighbourly.core.images import image_delete
from neighbourly.merchants.feed_cache import feed_offers_changed, viewer_marks_changed
from neighbourly.merchants.models import Business, BusinessOwner, OfferClaim, OfferSave, Recommendation


def export_user_data(*, user) -> dict:
    businesses = Business.objects.filter(ownerships__user=user).prefetch_related("served__community").order_by("id")
    claims = OfferClaim.objects.filter(user=user).select_related("offer__business").order_by("id")
    return {
        "businesses_owned": [
            {"id": b.id, "name": b.name, "address": b.address, "verified": b.is_verified,
             "communities": {s.community.slug: s.status for s in b.served.all()}}
            for b in businesses
        ],
        "offer_claims": [
            {"offer": c.offer.title, "business": c.offer.business.name, "code": c.code,
             "claimed_at": c.created_at.isoformat(),
             "redeemed_at": c.redeemed_at.isoformat() if c.redeemed_at else None}
            for c in claims
        ],
        "offers_saved": list(OfferSave.objects.filter(user=user).values_list("offer_id", flat=True).order_by("id")),
        "businesses_recommended": list(
            Recommendation.objects.filter(user=user).values_list("business__name", flat=True).order_by("id")
        ),
    }


def erase_user_data(*, user, keep_content: bool) -> None:
    OfferClaim.objects.filter(user=user).delete()
    OfferSave.objects.filter(user=user).delete()
    Recommendation.objects.filter(user=user).delete()
    sole = (
        # Counted over all owners (filtering on the join first would count only this one).
        Business.objects.filter(pk__in=BusinessOwner.objects.filter(user=user).values("business_id"))
        .annotate(owner_count=Count("ownerships"))
        .filter(owner_count=1)
        .prefetch_related("photos", "offers")
    )
    names = []
    for business in sole:
        names += [business.logo] + [p.file for p in business.photos.all()] + [o.image for o in business.offers.all()]
        if business.document:
            business.document.delete(save=False)
        business.delete()
    BusinessOwner.objects.filter(user=user).delete()
    viewer_marks_changed(user_id=user.pk)
    if names or sole:
        feed_offers_changed()
    transaction.on_commit(lambda: [image_delete(name=n) for n in names if n])
