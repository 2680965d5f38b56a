"""Reads for claims, with the access check of each viewer and the eager loading their pages need."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from neighbourly.communities.models import Community, Role
from neighbourly.communities.selectors import community_get_by_slug, community_get_for_member
from neighbourly.core.errors import NotFound
from neighbourly.core.pagination import keyset_page
from neighbourly.verification.methods import method_get
from neighbourly.verification.models import (
    OPEN_STATUSES,
    Claim,
    ClaimDecision,
    Postcard,
    PostcardBatch,
    RegisterEntry,
    RegisterUpload,
    Vouch,
)

PAGE_SIZE = 50


def claim_list_for_user(*, user) -> QuerySet[Claim]:
    """My claims, newest first, with the community and address each card shows."""
    return Claim.objects.filter(user=user).select_related("community", "address").order_by("-id")


def claim_get_for_owner(*, user, claim_id: int) -> Claim:
    claim = Claim.objects.select_related("community", "address").filter(pk=claim_id, user=user).first()
    if claim is None:
        raise NotFound()
    return claim


def claim_open_for_membership(*, user, community: Community) -> Claim | None:
    return (
        Claim.objects.select_related("community", "address")
        .filter(user=user, community=community, status__in=OPEN_STATUSES)
        .order_by("-id")
        .first()
    )


def claim_latest_closed(*, user, community: Community) -> Claim | None:
    return (
        Claim.objects.filter(user=user, community=community)
        .exclude(status__in=OPEN_STATUSES)
        .order_by("-id")
        .first()
    )


def claim_queue_for_moderator(*, community: Community) -> QuerySet[Claim]:
    """The open claims of one community, oldest first, with every method's evidence preloaded."""
    now = timezone.now()
    return (
        Claim.objects.filter(community=community, status__in=OPEN_STATUSES)
        .select_related("user", "user__profile", "address", "community")
        .prefetch_related(
            Prefetch(
                "postcards",
                queryset=Postcard.objects.filter(
                    used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
                ).select_related("batch"),
                to_attr="live_postcards",
            ),
            Prefetch(
                "vouches",
                queryset=Vouch.objects.select_related("voucher__profile").order_by("id"),
                to_attr="vouch_list",
            ),
        )
        .order_by("id")
    )


def claim_queue_mark_register(claims: list[Claim], *, community: Community) -> list[Claim]:
    """One query: whether each claimant is listed in the register at their address."""
    keys = {c.address_key for c in claims}
    listed = set(
        RegisterEntry.objects.filter(community=community, address_key__in=keys).values_list(
            "address_key", "email"
        )
    )
    for claim in claims:
        claim.register_listed = (claim.address_key, claim.user.email.lower()) in listed
    return claims


def claim_evidence(claim: Claim) -> dict:
    return {
        name: method_get(name).evidence(claim)
        for name in ("postcard", "vouch", "document", "geolocation", "register")
    }


def claim_get_for_moderator(*, user, claim_id: int) -> tuple[Claim, Community]:
    claim = Claim.objects.select_related("community", "address", "user__profile").filter(pk=claim_id).first()
    if claim is None:
        raise NotFound()
    from neighbourly.communities.selectors import community_get_for_moderator

    community, _ = community_get_for_moderator(user=user, slug=claim.community.slug)
    return claim, community


def claim_get_for_voucher(*, user, token: str) -> Claim:
    """The claim behind a vouch link, for a verified resident of its community; others get NotFound."""
    claim = (
        Claim.objects.select_related("community", "address", "user__profile")
        .filter(vouch_token=token or "-")
        .first()
    )
    if claim is None:
        raise NotFound()
    community_get_for_member(user=user, slug=claim.community.slug)
    return claim


def community_get_for_register_uploader(*, user, slug: str) -> Community:
    community, membership = community_get_for_member(user=user, slug=slug)
    if membership.role not in (Role.MODERATOR, Role.PROPERTY_MANAGER):
        raise NotFound()
    return community


def decision_list_for_moderator(*, community: Community) -> QuerySet[ClaimDecision]:
    return (
        ClaimDecision.objects.filter(community=community)
        .select_related("actor__profile", "claim__user__profile", "claim__address")
        .order_by("-id")
    )


def postcard_batch_list(*, community: Community) -> QuerySet[PostcardBatch]:
    from django.db.models import Count

    return (
        PostcardBatch.objects.filter(community=community)
        .select_related("created_by__profile")
        .annotate(cards=Count("postcards"))
        .order_by("-id")
    )


def register_upload_latest(*, community: Community) -> RegisterUpload | None:
    return (
        RegisterUpload.objects.filter(community=community)
        .select_related("uploaded_by__profile")
        .order_by("-id")
        .first()
    )


def community_list_without_register() -> QuerySet[Community]:
    """Communities whose address register is empty: there a typed address goes to the moderators."""
    return Community.objects.filter(addresses__isnull=True).only("id", "slug", "name").order_by("name")


def community_get(*, slug: str) -> Community:
    return community_get_by_slug(slug=slug)


def claim_page(
    queryset, *, cursor: str | None, descending: bool, size: int = PAGE_SIZE
) -> tuple[list, str | None]:
    """A page of claims or decisions by id (core.pagination): deep pages cost the same as the first."""
    return keyset_page(queryset, keys=("id",), cursor=cursor, size=size, descending=descending)
