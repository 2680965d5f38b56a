"""At the counter: residents save and claim offers; merchants redeem the claim codes.

Races are settled by the database: a claim locks the offer row (select_for_update) before it
checks the total and per-household caps, and a CHECK constraint refuses a count past the cap;
a redemption locks the claim row and then updates it only while it is still unredeemed, so two
tills typing the same code at once redeem it once.
"""

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone

from neighbourly.communities.models import Membership, MembershipStatus
from neighbourly.core.codes import code_generate, code_normalise
from neighbourly.core.errors import ApplicationError, Conflict, NotFound, RateLimited
from neighbourly.core.ratelimit import rate_limit
from neighbourly.merchants.feed_cache import feed_offers_changed, viewer_marks_changed
from neighbourly.merchants.models import Offer, OfferClaim, OfferSave, OfferStatus
from neighbourly.merchants.selectors import business_get_for_owner, offer_get_for_viewer
from neighbourly.notifications.models import Kind
from neighbourly.notifications.services import notification_send

WRONG_REDEEM_LIMIT = 20  # wrong codes per business per window, then a pause
WRONG_REDEEM_WINDOW = 600


def _resident_offer(viewer, offer_id: int) -> Offer:
    offer = offer_get_for_viewer(viewer=viewer, offer_id=offer_id)
    if offer.viewer_community_id is None:  # an owner looking at their own offer
        raise ApplicationError("Only residents of the communities this offer targets can do that.")
    return offer


@transaction.atomic
def offer_save(*, viewer, offer_id: int) -> OfferSave:
    offer = _resident_offer(viewer, offer_id)
    saved, created = OfferSave.objects.get_or_create(offer_id=offer.pk, user=viewer)
    if created:
        Offer.objects.filter(pk=offer.pk).update(saves_count=F("saves_count") + 1)
        viewer_marks_changed(user_id=viewer.pk)
    return saved


@transaction.atomic
def offer_unsave(*, viewer, offer_id: int) -> None:
    offer = _resident_offer(viewer, offer_id)
    deleted, _ = OfferSave.objects.filter(offer_id=offer.pk, user=viewer).delete()
    if deleted:
        Offer.objects.filter(pk=offer.pk, saves_count__gt=0).update(saves_count=F("saves_count") - 1)
        viewer_marks_changed(user_id=viewer.pk)


def _household_key(membership: Membership) -> str:
    # The membership's address row is per community: its id names the household. Kept opaque.
    return f"a{membership.address_id}" if membership.address_id else f"m{membership.pk}"


def offer_claim(*, viewer, offer_id: int, ip: str | None = None) -> tuple[OfferClaim, bool]:
    """Claim once: returns (claim, created). Claiming again returns the same code."""
    offer = _resident_offer(viewer, offer_id)
    existing = OfferClaim.objects.filter(offer_id=offer.pk, user=viewer).first()
    if existing is not None:
        return existing, False
    membership = (
        Membership.objects.filter(user=viewer, community_id=offer.viewer_community_id, status=MembershipStatus.VERIFIED)
        .first()
    )
    if membership is None:
        raise NotFound()
    household = _household_key(membership)
    rate_limit("offer_claim", user=viewer, ip=ip)
    try:
        with transaction.atomic():
            locked = Offer.objects.select_for_update().get(pk=offer.pk)
            now = timezone.now()
            if locked.claims_count >= locked.max_claims:
                raise Conflict("Sorry, this offer has all been claimed.")
            if locked.status != OfferStatus.LIVE or now >= locked.ends_at:
                raise Conflict("This offer has ended.")
            if now < locked.starts_at:
                raise ApplicationError("This offer has not started yet.")
            if OfferClaim.objects.filter(offer=locked, user=viewer).exists():
                raise Conflict("You have already claimed this offer.")
            taken = OfferClaim.objects.filter(
                offer=locked, community_id=membership.community_id, household_key=household
            ).count()
            if taken >= locked.per_household:
                raise Conflict("Your household has already claimed this offer as many times as it allows.")
            claim = _claim_create(offer=locked, viewer=viewer, membership=membership, household=household)
            locked.claims_count += 1
            fields = ["claims_count", "updated_at"]
            if locked.claims_count >= locked.max_claims:
                locked.status, locked.closed_at = OfferStatus.CLOSED, now
                fields += ["status", "closed_at"]
            locked.save(update_fields=fields)
            feed_offers_changed()  # its remaining count (or its closing) shows in the feed
            viewer_marks_changed(user_id=viewer.pk)
            name = viewer.profile.display_name
            for owner in locked.business.owners.all():
                notification_send(
                    recipient=owner, kind=Kind.OFFER, title=f"{name} claimed “{locked.title}”",
                    body=f"{locked.claims_count} of {locked.max_claims} claimed.",
                    url="/merchants/",
                )
    except IntegrityError as exc:  # the same resident claiming twice at once: one wins
        existing = OfferClaim.objects.filter(offer_id=offer.pk, user=viewer).first()
        if existing is not None:
            return existing, False
        raise Conflict("Sorry, this offer has all been claimed.") from exc
    return claim, True


def _claim_create(*, offer, viewer, membership, household) -> OfferClaim:
    for _ in range(5):
        claim = OfferClaim(
            offer=offer, user=viewer, community_id=membership.community_id, household_key=household,
            code=code_generate(),
        )
        if not OfferClaim.objects.filter(code=claim.code).exists():
            claim.save()
            return claim
    raise ApplicationError("Could not make a code; try again.")


def offer_redeem(*, viewer, business_id: int, code: str) -> OfferClaim:
    """The merchant confirms a code at the counter: once, for their own business's offers only."""
    business = business_get_for_owner(viewer=viewer, business_id=business_id)
    wrong_key = f"merchants:wrong-redeem:{business.pk}"
    if (cache.get(wrong_key) or 0) >= WRONG_REDEEM_LIMIT:
        raise RateLimited("Too many wrong codes: wait a few minutes and try again.")
    normalised = code_normalise(code)
    with transaction.atomic():
        claim = (
            OfferClaim.objects.select_for_update(of=("self",))
            .select_related("offer", "user__profile")
            .filter(code=normalised, offer__business=business)
            .first()
        )
        if claim is None:
            if not cache.add(wrong_key, 1, timeout=WRONG_REDEEM_WINDOW):
                cache.incr(wrong_key)
            raise ApplicationError("That code is not valid for this business.")
        if claim.redeemed_at is not None:
            when = formats.date_format(timezone.localtime(claim.redeemed_at), "j M Y, H:i")
            raise Conflict(f"That code was already redeemed on {when}.")
        now = timezone.now()
        if now >= claim.offer.ends_at:
            raise Conflict("That offer has ended; the code can no longer be redeemed.")
        # Only while still unredeemed: a concurrent till that got here too updates nothing.
        updated = OfferClaim.objects.filter(pk=claim.pk, redeemed_at__isnull=True).update(
            redeemed_at=now, redeemed_by=viewer
        )
        if updated != 1:
            raise Conflict("That code was already redeemed.")
        Offer.objects.filter(pk=claim.offer_id).update(redemptions_count=F("redemptions_count") + 1)
        claim.redeemed_at, claim.redeemed_by = now, viewer
    return claim
