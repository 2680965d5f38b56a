"""A merchant keeps their business and offers current: edit the business's details, edit an offer,
pause it (hidden from feeds, not claimable), resume it, or end it early.

The address is not editable here: it is what moderators verified (a move is a new proof). An
offer's cap never drops below what is already claimed, and codes already given out still redeem
while an offer is paused or after it ended early: a neighbour who was promised something keeps it.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from neighbourly.core.errors import ApplicationError, Conflict
from neighbourly.core.images import image_process, image_store, images_storage
from neighbourly.core.storage import new_files
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.merchants.feed_cache import feed_offers_changed
from neighbourly.merchants.models import Business, Category, Offer, OfferStatus
from neighbourly.merchants.selectors import business_get_for_owner, offer_get_for_owner
from neighbourly.merchants.services.offers import (
    MAX_CLAIMS,
    MAX_WINDOW,
    OFFER_IMAGE_PREFIX,
    OFFER_IMAGE_SIDE,
    offer_image_point,
)


@transaction.atomic
def business_update(
    *, actor, business_id: int, name: str | None = None, category: str | None = None,
    description: str | None = None, opening_hours: str | None = None,
) -> Business:
    """An owner edits what neighbours read about the business (NotFound for anyone else)."""
    business = business_get_for_owner(viewer=actor, business_id=business_id)
    business = Business.objects.select_for_update().get(pk=business.pk)
    if name is not None:
        if not name.strip():
            raise ApplicationError("The business needs a name.")
        business.name = name.strip()
    if category is not None:
        if category not in Category.values:
            raise ApplicationError(f"Choose a category: {', '.join(Category.values)}.")
        business.category = category
    if description is not None:
        business.description = description.strip()
    if opening_hours is not None:
        business.opening_hours = opening_hours.strip()
    full_clean_or_raise(business, exclude=["created_by", "address_verified_by", "document", "logo"])
    business.save()
    feed_offers_changed()  # offers in feeds carry the business's name
    return business


def _owned_offer(*, actor, offer_id: int) -> Offer:
    offer = offer_get_for_owner(viewer=actor, offer_id=offer_id)  # NotFound unless an owner
    return Offer.objects.select_for_update().select_related("business").get(pk=offer.pk)


def offer_update(
    *, actor, offer_id: int, title: str | None = None, body: str | None = None, ends_at: datetime | None = None,
    max_claims: int | None = None, per_household: int | None = None, image=None,
) -> Offer:
    """Edit a live or paused offer: wording, end, caps, and (`image`) its picture. An ended offer stays
    as it was. A new picture is checked before anything is written and saved with the rest or not at all."""
    name = ""
    if image:
        processed = image_process(data=image, max_side=OFFER_IMAGE_SIDE)  # a bad file: 4xx, nothing changed
        name = image_store(processed=processed, prefix=OFFER_IMAGE_PREFIX)
    with new_files(images_storage(), *([name] if name else [])):
        offer = _offer_fields_update(actor=actor, offer_id=offer_id, title=title, body=body, ends_at=ends_at,
                                     max_claims=max_claims, per_household=per_household)
        if name:
            offer_image_point(offer=offer, name=name)
        return offer


def _offer_fields_update(
    *, actor, offer_id: int, title: str | None, body: str | None, ends_at: datetime | None,
    max_claims: int | None, per_household: int | None,
) -> Offer:
    offer = _owned_offer(actor=actor, offer_id=offer_id)
    if offer.status == OfferStatus.CLOSED:
        raise Conflict("This offer has ended; publish a new one instead.")
    if title is not None:
        offer.title = title.strip()
    if body is not None:
        offer.body = body.strip()
    if ends_at is not None:
        if ends_at <= timezone.now():
            raise ApplicationError("Choose an end in the future (or end the offer now).")
        if ends_at <= offer.starts_at:
            raise ApplicationError("The offer must end after it starts.")
        if ends_at - offer.starts_at > MAX_WINDOW:
            raise ApplicationError(f"An offer runs for at most {MAX_WINDOW.days} days.")
        offer.ends_at = ends_at
    if max_claims is not None:
        if not 1 <= max_claims <= MAX_CLAIMS:
            raise ApplicationError(f"The total cap is between 1 and {MAX_CLAIMS}.")
        if max_claims < offer.claims_count:
            raise ApplicationError(f"{offer.claims_count} already claimed: the total cap cannot be lower than that.")
        offer.max_claims = max_claims
    if per_household is not None:
        offer.per_household = per_household
    if not 1 <= offer.per_household <= offer.max_claims:
        raise ApplicationError("The per-household cap is at least 1 and at most the total cap.")
    full_clean_or_raise(offer, exclude=["business", "created_by", "image"])
    offer.save()
    feed_offers_changed()
    return offer


def _set_status(*, actor, offer_id: int, allowed_from: tuple[str, ...], to: str, refuse: str) -> Offer:
    offer = _owned_offer(actor=actor, offer_id=offer_id)
    if offer.status == to:
        return offer  # pressing "Pause" twice is not an error
    if offer.status not in allowed_from:
        raise Conflict(refuse)
    if to == OfferStatus.LIVE and offer.ends_at <= timezone.now():
        raise Conflict("This offer's end has passed: change its end first, then resume it.")
    offer.status = to
    fields = ["status", "updated_at"]
    if to == OfferStatus.CLOSED:
        offer.closed_at = timezone.now()
        fields.append("closed_at")
    offer.save(update_fields=fields)
    feed_offers_changed()
    return offer


@transaction.atomic
def offer_pause(*, actor, offer_id: int) -> Offer:
    return _set_status(actor=actor, offer_id=offer_id, allowed_from=(OfferStatus.LIVE,), to=OfferStatus.PAUSED,
                       refuse="This offer has ended and cannot be paused.")


@transaction.atomic
def offer_resume(*, actor, offer_id: int) -> Offer:
    return _set_status(actor=actor, offer_id=offer_id, allowed_from=(OfferStatus.PAUSED,), to=OfferStatus.LIVE,
                       refuse="This offer has ended; publish a new one instead.")


@transaction.atomic
def offer_end(*, actor, offer_id: int) -> Offer:
    return _set_status(actor=actor, offer_id=offer_id, allowed_from=(OfferStatus.LIVE, OfferStatus.PAUSED),
                       to=OfferStatus.CLOSED, refuse="This offer has already ended.")
