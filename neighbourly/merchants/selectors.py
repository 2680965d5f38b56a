"""Reads for merchants, with the access rules:

- a business is seen by its owners, by moderators of the communities it asked to serve, and by
  verified residents of a community where it is approved once its address is proven;
- an offer is seen by its business's owners and by verified residents of a community it targets
  (where the business is still approved); everyone else gets NotFound, never a hint.
"""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from neighbourly.communities.models import Membership, MembershipStatus, Role
from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.core.pagination import keyset_page
from neighbourly.merchants.models import (
    Business,
    BusinessOwner,
    BusinessPostcard,
    Offer,
    OfferClaim,
    OfferSave,
    OfferStatus,
    OfferTarget,
    Recommendation,
    ServedCommunity,
    ServedStatus,
)
from neighbourly.merchants.stats import impressions_pending

PAGE_SIZE = 20


def _authenticated(viewer) -> bool:
    return getattr(viewer, "is_authenticated", False)


def _valid_id(value: int) -> bool:
    return 0 < value < 2**63


def _verified_community_ids(viewer):
    return Membership.objects.filter(user=viewer, status=MembershipStatus.VERIFIED).values("community_id")


def _moderated_community_ids(viewer):
    return Membership.objects.filter(
        user=viewer, status=MembershipStatus.VERIFIED, role=Role.MODERATOR
    ).values("community_id")


def _recommendation_count():
    counts = (
        Recommendation.objects.filter(business=OuterRef("pk"))
        .order_by()
        .values("business")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def _is_owner(viewer, field: str = "pk"):
    return Exists(BusinessOwner.objects.filter(business=OuterRef(field), user=viewer))


# --- businesses ------------------------------------------------------------------------------


def business_get_for_viewer(*, viewer, business_id: int) -> Business:
    """One business as the viewer may see it (three queries: business, served, photos)."""
    if not _authenticated(viewer) or not _valid_id(business_id):
        raise NotFound()
    resident_of = ServedCommunity.objects.filter(
        business=OuterRef("pk"), status=ServedStatus.APPROVED, community_id__in=_verified_community_ids(viewer)
    )
    business = (
        Business.objects.filter(pk=business_id)
        .annotate(
            is_owner=_is_owner(viewer),
            is_moderator=Exists(
                ServedCommunity.objects.filter(
                    business=OuterRef("pk"), community_id__in=_moderated_community_ids(viewer)
                )
            ),
            resident_community_id=Subquery(resident_of.order_by("id").values("community_id")[:1]),
            recommendation_count=_recommendation_count(),
            recommended_by_me=Exists(Recommendation.objects.filter(business=OuterRef("pk"), user=viewer)),
            has_live_postcard=Exists(
                BusinessPostcard.objects.filter(
                    business=OuterRef("pk"), used_at__isnull=True, revoked_at__isnull=True,
                    expires_at__gt=timezone.now(),
                )
            ),
        )
        .prefetch_related(
            Prefetch("served", queryset=ServedCommunity.objects.select_related("community").order_by("id")),
            "photos",
        )
        .first()
    )
    if business is None:
        raise NotFound()
    visible_as_resident = (
        business.is_verified and business.hidden_at is None and business.resident_community_id is not None
    )
    if not (business.is_owner or business.is_moderator or visible_as_resident):
        raise NotFound()
    return business


def business_reachable_owners(*, viewer, business: Business) -> list:
    """Owners who chose to be reachable and whom the viewer may see as neighbours (verified in
    one of the viewer's communities or one nearby): users with profiles, one query."""
    from neighbourly.accounts.models import User

    mine = _verified_community_ids(viewer)
    theirs = Membership.objects.filter(user=OuterRef("pk"), status=MembershipStatus.VERIFIED)
    return list(
        User.objects.filter(business_ownerships__business=business, business_ownerships__reachable=True,
                            is_active=True)
        .filter(Exists(theirs.filter(community__in=mine)) | Exists(theirs.filter(community__nearby__in=mine)))
        .select_related("profile")
        .order_by("profile__display_name", "id")
    )


def business_my_ownership(*, viewer, business: Business):
    return BusinessOwner.objects.filter(business=business, user=viewer).first()


def business_get_for_owner(*, viewer, business_id: int) -> Business:
    """The business if the viewer owns it; NotFound otherwise (another merchant learns nothing)."""
    if not _authenticated(viewer) or not _valid_id(business_id):
        raise NotFound()
    business = Business.objects.filter(pk=business_id, ownerships__user=viewer).first()
    if business is None:
        raise NotFound()
    return business


def business_owner_exists(*, user) -> bool:
    return _authenticated(user) and BusinessOwner.objects.filter(user=user).exists()


def business_list_for_community(*, viewer, community, cursor: str | None = None, limit: int = PAGE_SIZE):
    """The community's verified, approved businesses with recommendation counts, by name (one query).
    The caller has checked the viewer is a verified member of `community`."""
    qs = (
        Business.objects.filter(
            address_verified_at__isnull=False,
            hidden_at__isnull=True,
            served__community=community,
            served__status=ServedStatus.APPROVED,
        )
        .annotate(
            recommendation_count=_recommendation_count(),
            recommended_by_me=Exists(Recommendation.objects.filter(business=OuterRef("pk"), user=viewer)),
        )
    )
    return keyset_page(qs, keys=("name", "id"), cursor=cursor, size=limit, descending=False)


def business_list_for_owner(*, viewer) -> list[Business]:
    """The merchant's dashboard: my businesses, where they stand, their offers with counts (3 queries)."""
    return list(
        Business.objects.filter(ownerships__user=viewer)
        .annotate(recommendation_count=_recommendation_count())
        .prefetch_related(
            Prefetch("served", queryset=ServedCommunity.objects.select_related("community").order_by("id")),
            Prefetch("offers", queryset=Offer.objects.order_by("-created_at", "-id")),
        )
        .order_by("name", "id")
    )


QUEUE_SIZE = 100


def business_queue_for_moderator(*, community, limit: int = QUEUE_SIZE) -> list[ServedCommunity]:
    """Businesses asking to serve `community`, waiting for its moderators, oldest first: the desk
    page and the API read this one list (one query, however many rows)."""
    return list(
        ServedCommunity.objects.filter(community=community, status=ServedStatus.PENDING)
        .select_related("business", "community")
        .annotate(
            has_live_postcard=Exists(
                BusinessPostcard.objects.filter(
                    business=OuterRef("business_id"), used_at__isnull=True, revoked_at__isnull=True,
                    expires_at__gt=timezone.now(),
                )
            ),
        )
        .order_by("created_at", "id")[:limit]
    )


def business_decision_list_for_moderator(*, community) -> QuerySet[ServedCommunity]:
    """Moderators' decisions on businesses in `community`, newest first (for the audit log)."""
    return (
        ServedCommunity.objects.filter(community=community, decided_at__isnull=False)
        .select_related("business", "decided_by__profile")
        .order_by("-decided_at", "-id")
    )


def served_get_for_moderator(
    *, viewer, business_id: int, slug: str | None = None, require_single: bool = True
) -> ServedCommunity:
    """The business's row in a community the viewer moderates (the named one, or the only one)."""
    if not _authenticated(viewer) or not _valid_id(business_id):
        raise NotFound()
    rows = ServedCommunity.objects.filter(
        business_id=business_id, community_id__in=_moderated_community_ids(viewer)
    ).select_related("business", "community")
    if slug:
        rows = rows.filter(community__slug=slug)
    rows = list(rows.order_by("id")[:2])
    if not rows:
        raise NotFound()
    if len(rows) > 1 and require_single:
        raise ApplicationError("You moderate several communities this business serves: name the community.")
    return rows[0]


# --- offers ----------------------------------------------------------------------------------


def _live(qs: QuerySet[Offer], now) -> QuerySet[Offer]:
    return qs.filter(
        hidden_at__isnull=True,
        status=OfferStatus.LIVE, starts_at__lte=now, ends_at__gt=now, claims_count__lt=F("max_claims")
    )


def offer_list_live_for_community(*, community_id: int, limit: int) -> list[Offer]:
    """Live offers targeting the community, from approved, verified, visible businesses, newest
    first: one query (businesses joined). Filters the window and the remaining capacity itself.
    The feed reads it through feed_cache, which keeps the result between changes."""
    now = timezone.now()
    approved = ServedCommunity.objects.filter(
        business=OuterRef("business_id"), community_id=community_id, status=ServedStatus.APPROVED
    )
    qs = _live(Offer.objects.filter(targets__community_id=community_id), now).filter(
        Exists(approved), business__address_verified_at__isnull=False, business__hidden_at__isnull=True
    )
    return list(qs.select_related("business").order_by("-starts_at", "-id")[:limit])


def offer_marks_for_viewer(*, viewer) -> tuple[frozenset[int], frozenset[int]]:
    """(offers the viewer saved, offers they claimed), in one query."""
    saved = OfferSave.objects.filter(user=viewer).annotate(mark=Value("s")).values_list("offer_id", "mark")
    claimed = OfferClaim.objects.filter(user=viewer).annotate(mark=Value("c")).values_list("offer_id", "mark")
    rows = list(saved.union(claimed, all=True))
    return (frozenset(i for i, m in rows if m == "s"), frozenset(i for i, m in rows if m == "c"))


def offer_get_for_viewer(*, viewer, offer_id: int) -> Offer:
    """One offer as the viewer may see it (one query), with `viewer_community_id` (the targeted
    community the viewer is a verified resident of, where the business is approved) or `is_owner`."""
    if not _authenticated(viewer) or not _valid_id(offer_id):
        raise NotFound()
    approved = ServedCommunity.objects.filter(
        business=OuterRef("offer__business_id"), community=OuterRef("community_id"), status=ServedStatus.APPROVED
    )
    target = OfferTarget.objects.filter(
        Exists(approved), offer=OuterRef("pk"), community_id__in=_verified_community_ids(viewer)
    ).order_by("id")
    offer = (
        Offer.objects.filter(pk=offer_id)
        .select_related("business")
        .annotate(
            is_owner=_is_owner(viewer, "business_id"),
            viewer_community_id=Subquery(target.values("community_id")[:1]),
            saved_by_me=Exists(OfferSave.objects.filter(offer=OuterRef("pk"), user=viewer)),
            my_code=Subquery(OfferClaim.objects.filter(offer=OuterRef("pk"), user=viewer).values("code")[:1]),
        )
        .first()
    )
    if offer is None:
        raise NotFound()
    as_resident = (
        offer.business.is_verified and offer.business.hidden_at is None and offer.hidden_at is None
        and offer.viewer_community_id is not None
    )
    if not (offer.is_owner or as_resident):
        raise NotFound()
    now = timezone.now()
    offer.is_live = offer.status == OfferStatus.LIVE and offer.starts_at <= now < offer.ends_at and offer.remaining > 0
    return offer


def offer_get_for_owner(*, viewer, offer_id: int) -> Offer:
    if not _authenticated(viewer) or not _valid_id(offer_id):
        raise NotFound()
    offer = Offer.objects.filter(pk=offer_id, business__ownerships__user=viewer).select_related("business").first()
    if offer is None:
        raise NotFound()
    return offer


def claim_code_for_viewer(*, viewer, offer_id: int) -> str | None:
    """The viewer's own claim code for an offer, or None (nobody sees another's code)."""
    if not _authenticated(viewer) or not _valid_id(offer_id):
        return None
    return OfferClaim.objects.filter(offer_id=offer_id, user=viewer).values_list("code", flat=True).first()


def claim_list_for_resident(*, viewer) -> list[OfferClaim]:
    return list(
        OfferClaim.objects.filter(user=viewer).select_related("offer__business").order_by("-created_at", "-id")[:50]
    )


def offer_list_for_business_page(*, viewer, business: Business) -> list[Offer]:
    """Owners: every offer; residents: the live ones targeting a community they live in (one query)."""
    if business.is_owner:
        return list(Offer.objects.filter(business=business).order_by("-created_at", "-id")[:50])
    now = timezone.now()
    approved = ServedCommunity.objects.filter(
        business=business, community=OuterRef("community_id"), status=ServedStatus.APPROVED
    )
    targeted = OfferTarget.objects.filter(
        Exists(approved), offer=OuterRef("pk"), community_id__in=_verified_community_ids(viewer)
    )
    return list(_live(Offer.objects.filter(business=business), now).filter(Exists(targeted)).order_by("ends_at")[:50])


def offer_impressions(*, offers: list[Offer]) -> dict[int, int]:
    """Impressions per offer: what is flushed into the row plus what the cache still holds. The
    dashboard and the stats API both read this; no database query (the rows are the caller's)."""
    pending = impressions_pending(offer_ids=[o.id for o in offers])
    return {o.id: o.impressions + pending[o.id] for o in offers}


def claim_list_for_owner_offers(*, offer_ids: list[int], limit: int = 30) -> list[OfferClaim]:
    """The latest claims of the merchant's offers, by display name only (one query). The caller
    passes ids of offers it already checked the viewer owns."""
    if not offer_ids:
        return []
    return list(
        OfferClaim.objects.filter(offer_id__in=offer_ids)
        .select_related("user__profile", "offer")
        .only("id", "created_at", "redeemed_at", "offer__id", "offer__title", "user__id",
              "user__profile__display_name")
        .order_by("-created_at", "-id")[:limit]
    )

