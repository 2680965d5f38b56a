"""Publishing offers to the communities a verified business serves, and closing finished ones."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from neighbourly.core.errors import ApplicationError
from neighbourly.core.images import image_delete_on_commit, image_process, image_store, images_storage
from neighbourly.core.storage import new_files
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.merchants.feed_cache import feed_offers_changed
from neighbourly.merchants.models import (
    Business,
    Offer,
    OfferStatus,
    OfferTarget,
    ServedCommunity,
    ServedStatus,
)

MAX_WINDOW = timedelta(days=90)
MAX_CLAIMS = 10_000
OFFER_IMAGE_SIDE = 1200
OFFER_IMAGE_PREFIX = "merchants/offers"


def offer_publish(
    *,
    business: Business,
    actor,
    title: str,
    body: str,
    starts_at: datetime | None,
    ends_at: datetime,
    community_slugs: list[str],
    max_claims: int,
    per_household: int = 1,
    image=None,
) -> Offer:
    """A verified business offers something to communities where its moderators approved it.

    With `image` (an upload or bytes), the picture is checked and re-encoded before anything is
    written, and the offer goes live together with it or not at all: a bad file raises a 4xx
    ApplicationError and leaves no offer behind (so resubmitting cannot publish a duplicate).
    """
    fields = {"business": business, "actor": actor, "title": title, "body": body, "starts_at": starts_at,
              "ends_at": ends_at, "community_slugs": community_slugs, "max_claims": max_claims,
              "per_household": per_household}
    if not image:
        with transaction.atomic():
            return _offer_create(**fields, image_name="")
    processed = image_process(data=image, max_side=OFFER_IMAGE_SIDE)  # refuses a bad file before any write
    name = image_store(processed=processed, prefix=OFFER_IMAGE_PREFIX)  # the disk, outside any lock
    with new_files(images_storage(), name):  # one transaction; the file goes again if it does not commit
        return _offer_create(**fields, image_name=name)


def _offer_create(
    *, business: Business, actor, title: str, body: str, starts_at: datetime | None, ends_at: datetime,
    community_slugs: list[str], max_claims: int, per_household: int, image_name: str,
) -> Offer:
    business = Business.objects.select_for_update().get(pk=business.pk)
    if not business.is_verified:
        raise ApplicationError("The business is not verified yet: prove its address before publishing offers.")
    slugs = list(dict.fromkeys(s.strip() for s in community_slugs if s and s.strip()))
    if not slugs:
        raise ApplicationError("Choose at least one community for the offer.")
    served = {s.community.slug: s for s in ServedCommunity.objects.filter(business=business).select_related("community")}
    not_served = [s for s in slugs if s not in served]
    if not_served:
        raise ApplicationError(f"The business does not serve {', '.join(repr(s) for s in not_served)}.")
    not_approved = [s for s in slugs if served[s].status != ServedStatus.APPROVED]
    if not_approved:
        raise ApplicationError(
            f"The business is not approved in {', '.join(repr(s) for s in not_approved)} yet."
        )
    now = timezone.now()
    starts_at = starts_at or now
    if ends_at <= starts_at:
        raise ApplicationError("The offer must end after it starts.")
    if ends_at <= now:
        raise ApplicationError("The offer has already ended.")
    if ends_at - starts_at > MAX_WINDOW:
        raise ApplicationError(f"An offer runs for at most {MAX_WINDOW.days} days.")
    if not 1 <= max_claims <= MAX_CLAIMS:
        raise ApplicationError(f"The total cap is between 1 and {MAX_CLAIMS}.")
    if not 1 <= per_household <= max_claims:
        raise ApplicationError("The per-household cap is at least 1 and at most the total cap.")
    offer = Offer(
        business=business,
        title=(title or "").strip(),
        body=(body or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        max_claims=max_claims,
        per_household=per_household,
        created_by=actor,
        image=image_name,
    )
    full_clean_or_raise(offer, exclude=["business", "created_by", "image"])
    offer.save()
    OfferTarget.objects.bulk_create([OfferTarget(offer=offer, community=served[s].community) for s in slugs])
    feed_offers_changed()
    return offer


def offer_image_set(*, offer: Offer, upload) -> str:
    """New file in place first, then the row; the old picture goes once that has committed."""
    name = image_store(processed=image_process(data=upload, max_side=OFFER_IMAGE_SIDE), prefix=OFFER_IMAGE_PREFIX)
    with new_files(images_storage(), name):
        offer_image_point(offer=offer, name=name)
    return name


def offer_image_point(*, offer: Offer, name: str) -> None:
    """Inside the transaction: point the offer at a stored picture; the old one goes after commit."""
    old = offer.image
    offer.image = name
    offer.save(update_fields=["image", "updated_at"])
    feed_offers_changed()
    image_delete_on_commit(name=old)


def offers_close_finished(*, now=None) -> int:
    """Close live offers whose window ended or whose cap is reached (the feed query also filters
    them, so this is tidiness and the merchant's status, not what hides them)."""
    now = now or timezone.now()
    closed = Offer.objects.filter(status__in=(OfferStatus.LIVE, OfferStatus.PAUSED)).filter(
        Q(ends_at__lte=now) | Q(claims_count__gte=F("max_claims"))
    ).update(status=OfferStatus.CLOSED, closed_at=now)
    if closed:
        feed_offers_changed()
    return closed
