"""Business registration, proof of address (postcard code or document), moderators' decisions."""

from datetime import datetime

from django.db import transaction
from django.utils import formats, timezone

from neighbourly.communities.geo import distance_m
from neighbourly.communities.models import Community
from neighbourly.core.codes import (
    CODE_LIFETIME,
    WRONG_CODE_MESSAGE,
    code_check,
    code_format,
    code_generate,
    code_hash,
)
from neighbourly.core.documents import document_forget, document_read, document_replace
from neighbourly.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, RateLimited
from neighbourly.core.images import (
    image_delete_on_commit,
    image_process,
    image_square,
    image_store,
    images_storage,
)
from neighbourly.core.ratelimit import rate_limit
from neighbourly.core.storage import new_files
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.merchants.feed_cache import feed_offers_changed
from neighbourly.merchants.models import (
    MAX_PHOTOS,
    Business,
    BusinessOwner,
    BusinessPhoto,
    BusinessPostcard,
    Category,
    ProofMethod,
    ServedCommunity,
    ServedStatus,
)
from neighbourly.notifications.models import Kind
from neighbourly.notifications.services import notification_send

CODE_PURPOSE = "business-postcard"
MAX_COMMUNITIES = 10


def _community_centre(community: Community) -> tuple[float, float]:
    return (community.min_lon + community.max_lon) / 2, (community.min_lat + community.max_lat) / 2


@transaction.atomic
def business_create(
    *,
    user,
    name: str,
    category: str,
    address: str,
    community_slugs: list[str],
    description: str = "",
    opening_hours: str = "",
    lon: float | None = None,
    lat: float | None = None,
    proof_method: str = ProofMethod.POSTCARD,
    ip: str | None = None,
) -> Business:
    """Any logged-in user registers a business; it waits for proof and moderators' approval."""
    slugs = list(dict.fromkeys(s.strip() for s in community_slugs if s and s.strip()))
    if not slugs:
        raise ApplicationError("Choose at least one community the business serves.")
    if len(slugs) > MAX_COMMUNITIES:
        raise ApplicationError(f"A business can serve at most {MAX_COMMUNITIES} communities.")
    communities = list(Community.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {c.slug for c in communities})
    if missing:
        raise ApplicationError(f"No community with the slug {', '.join(repr(s) for s in missing)}.")
    if category not in Category.values:
        raise ApplicationError(f"Choose a category: {', '.join(Category.values)}.")
    if proof_method not in ProofMethod.values:
        raise ApplicationError(f"Prove the address by {' or '.join(ProofMethod.values)}.")
    if (lon is None) != (lat is None):
        raise ApplicationError("Give both longitude and latitude, or neither.")
    if lon is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ApplicationError("Longitude or latitude out of range.")
    rate_limit("business", user=user, ip=ip)
    business = Business(
        name=(name or "").strip(),
        category=category,
        address=(address or "").strip(),
        description=(description or "").strip(),
        opening_hours=(opening_hours or "").strip(),
        lon=lon,
        lat=lat,
        created_by=user,
        proof_method=proof_method,
    )
    full_clean_or_raise(business, exclude=["created_by", "address_verified_by", "document", "logo"])
    business.save()
    BusinessOwner(business=business, user=user).save()
    served = []
    for community in communities:
        distance = None
        if lon is not None:
            c_lon, c_lat = _community_centre(community)
            distance = round(distance_m(lon, lat, c_lon, c_lat))
        served.append(ServedCommunity(business=business, community=community, distance_m=distance))
    ServedCommunity.objects.bulk_create(served)
    return business


@transaction.atomic
def business_owner_add(*, business: Business, actor, new_owner) -> BusinessOwner:
    if not BusinessOwner.objects.filter(business=business, user=actor).exists():
        raise NotFound()
    owner, _ = BusinessOwner.objects.get_or_create(business=business, user=new_owner)
    return owner


@transaction.atomic
def business_owner_reachable_set(*, business: Business, user, reachable: bool) -> BusinessOwner:
    """An owner chooses whether residents see them named on the business page (with a link to
    their profile card, from which neighbours can message them)."""
    owner = BusinessOwner.objects.select_for_update().filter(business=business, user=user).first()
    if owner is None:
        raise NotFound()
    owner.reachable = bool(reachable)
    owner.save(update_fields=["reachable"])
    return owner


def business_image_add(*, business: Business, kind: str, upload) -> str:
    """A logo (square) or a photo, through the one image pipeline (re-encoded, metadata gone). The
    file is in place before the row points at it; a replaced logo goes once that has committed."""
    if kind not in ("logo", "photo"):
        raise ApplicationError("An image is a 'logo' or a 'photo'.")
    if kind == "logo":
        name = image_store(processed=image_square(data=upload, side=256), prefix="merchants/logos")
        with new_files(images_storage(), name):
            old = business.logo
            business.logo = name
            business.save(update_fields=["logo", "updated_at"])
            image_delete_on_commit(name=old)
        return name
    if business.photos.count() >= MAX_PHOTOS:
        raise ApplicationError(f"A business can show at most {MAX_PHOTOS} photos.")
    processed = image_process(data=upload)
    name = image_store(processed=processed, prefix="merchants/photos")
    with new_files(images_storage(), name):
        BusinessPhoto(
            business=business, file=name, width=processed.width, height=processed.height,
            position=business.photos.count(),
        ).save()
    return name


def _lock(business_id: int) -> Business:
    return Business.objects.select_for_update().get(pk=business_id)


@transaction.atomic
def business_document_upload(*, business: Business, upload) -> Business:
    """The owner's document (business rates, lease, bill), in private storage for the moderators."""
    data, kind = document_read(upload=upload)  # refused before anything is written
    business = _lock(business.pk)
    if business.is_verified:
        raise Conflict("The business address is already verified.")
    document_replace(instance=business, data=data, kind=kind, also={"proof_method": ProofMethod.DOCUMENT})
    return business


def _refuse_own(*, moderator, business: Business) -> None:
    """A moderator who owns the business neither proves its address nor decides on it."""
    if business.owners.filter(pk=moderator.pk).exists():
        raise PermissionDenied("Another moderator must check and decide on your own business.")


@transaction.atomic
def business_postcard_issue(*, moderator, business: Business) -> tuple[str, datetime]:
    """A moderator prints a card for the business address: returns the raw code (shown once)."""
    business = _lock(business.pk)
    _refuse_own(moderator=moderator, business=business)
    if business.is_verified:
        raise Conflict("The business address is already verified.")
    now = timezone.now()
    BusinessPostcard.objects.filter(business=business, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    code = code_generate()
    BusinessPostcard(
        business=business,
        issued_by=moderator,
        expires_at=now + CODE_LIFETIME,
        code_hash=code_hash(purpose=CODE_PURPOSE, subject_id=business.pk, code=code),
    ).save()
    return code_format(code), now + CODE_LIFETIME


def business_code_enter(*, business: Business, code: str) -> Business:
    """The owner types the code from the card. Wrong tries are counted on the business row
    (core.codes) and survive the refusal: the error is raised after the commit."""
    with transaction.atomic():
        business = _lock(business.pk)
        if business.is_verified:
            return business
        now = timezone.now()
        live = BusinessPostcard.objects.filter(
            business=business, used_at__isnull=True, revoked_at__isnull=True
        ).first()
        check = code_check(holder=business, live_code=live, purpose=CODE_PURPOSE, raw=code, now=now)
        fields = ["failed_code_attempts", "code_locked_until", "updated_at"]
        if check.ok:
            live.save(update_fields=["used_at"])
            business.address_verified_at = now
            business.proof_method = ProofMethod.POSTCARD
            fields += ["address_verified_at", "proof_method"]
        business.save(update_fields=fields)
    if check.ok:
        return business
    if check.locked:
        until = formats.date_format(timezone.localtime(check.locked_until), "j M Y, H:i")
        raise RateLimited(f"Too many wrong codes. You can try again after {until}.")
    raise ApplicationError(WRONG_CODE_MESSAGE)


@transaction.atomic
def business_decide(*, moderator, served: ServedCommunity, approve: bool, reason: str = "") -> ServedCommunity:
    """A moderator of `served.community` approves or refuses the business there. Approving needs
    the address proven: by the postcard code, or by the document the moderator now accepts."""
    business = _lock(served.business_id)
    _refuse_own(moderator=moderator, business=business)
    served = ServedCommunity.objects.select_for_update(of=("self",)).select_related("community").get(pk=served.pk)
    served.business = business
    reason = (reason or "").strip()[:500]
    now = timezone.now()
    if approve and not business.is_verified:
        if not business.document:
            raise ApplicationError(
                "The business address is not proven yet: print a postcard code for it, or wait for its document."
            )
        document_forget(instance=business)  # the document did its job; it is not kept
        business.address_verified_at = now
        business.address_verified_by = moderator
        business.proof_method = ProofMethod.DOCUMENT
        business.save(update_fields=[
            "document", "document_kind", "document_at", "address_verified_at", "address_verified_by",
            "proof_method", "updated_at",
        ])
    if not approve and not reason:
        raise ApplicationError("Give a reason for the refusal (the owners see it).")
    served.status = ServedStatus.APPROVED if approve else ServedStatus.REFUSED
    served.decided_by = moderator
    served.decided_at = now
    served.reason = reason
    served.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    feed_offers_changed()
    community = served.community
    title = (
        f"{business.name} is approved in {community.name}" if approve
        else f"{business.name} was not approved in {community.name}"
    )
    for owner in business.owners.all():
        notification_send(
            recipient=owner, kind=Kind.VERIFICATION, title=title, body=reason,
            url=f"/businesses/{business.pk}/",
        )
    return served

