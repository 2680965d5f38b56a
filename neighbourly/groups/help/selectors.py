"""Reads for the help exchange. Listings are seen by verified residents of their community only;
a listing's matches, chat and hours by the people in them (and the community's moderators, who
may act for an offline member)."""

from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from neighbourly.communities.models import Community, Membership, MembershipStatus, Role
from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.core.pagination import keyset_page
from neighbourly.groups.help.matching import RankedCandidate, rank_candidates
from neighbourly.groups.models import (
    HelpKind,
    HelpListing,
    HelpMatch,
    HelpStatus,
    HelpThanksOptIn,
    HoursEntry,
    HoursStatus,
    ProxyAction,
)

PAGE_SIZE = 30
CANDIDATE_POOL = 200  # rank at most this many open listings (oldest first) per request
THANKS_TOP = 10


def _listings() -> QuerySet[HelpListing]:
    return HelpListing.objects.select_related("owner__profile", "owner_membership__address", "community")


def help_listing_list(
    *, community: Community, kind: str | None = None, category: str | None = None, cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> tuple[list[HelpListing], str | None]:
    """Open listings of a community (the caller checked the viewer lives there), newest first,
    keyset-paged: one query per page."""
    qs = _listings().filter(community=community, status=HelpStatus.OPEN,
                            owner_membership__status=MembershipStatus.VERIFIED)
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(category=category)
    return keyset_page(qs, keys=("id",), cursor=cursor, size=limit)


def help_listing_list_for_owner(*, viewer, community: Community) -> list[HelpListing]:
    """The viewer's own listings with their matches (other person's name, room): two queries."""
    listings = list(
        _listings().filter(community=community, owner=viewer).exclude(status=HelpStatus.CLOSED).order_by("-pk")[:50]
    )
    matches = help_matches_for_listings(listing_ids=[listing.pk for listing in listings])
    for listing in listings:
        listing.match_list = [m for m in matches if listing.pk in (m.request_id, m.offer_id)]
        for match in listing.match_list:
            match.other = match.helped if match.helper_id == viewer.pk else match.helper
    return listings


def help_matches_for_listings(*, listing_ids: list[int]) -> list[HelpMatch]:
    if not listing_ids:
        return []
    pending = HoursEntry.objects.filter(match=OuterRef("pk"), status=HoursStatus.PROPOSED)
    return list(
        HelpMatch.objects.filter(Q(request_id__in=listing_ids) | Q(offer_id__in=listing_ids))
        .select_related("helper__profile", "helped__profile", "request__community", "offer")
        .annotate(
            confirmed_hours=Coalesce(
                Subquery(
                    HoursEntry.objects.filter(match=OuterRef("pk"), status=HoursStatus.CONFIRMED)
                    .values("match").annotate(total=Sum("hours")).values("total")[:1]
                ),
                Value(0), output_field=DecimalField(max_digits=8, decimal_places=2),
            ),
            pending_hours=Subquery(pending.values("hours")[:1]),
            pending_helper=Subquery(pending.values("helper_confirmed")[:1]),
            pending_helped=Subquery(pending.values("helped_confirmed")[:1]),
        )
        .order_by("-pk")
    )


def help_listing_get_for_viewer(*, viewer, listing_id: int) -> HelpListing:
    """A listing a verified resident of its community may see (one query). Sets
    `viewer_is_owner` and `viewer_is_moderator` (a community moderator may act for the owner)."""
    if not getattr(viewer, "is_authenticated", False) or not isinstance(listing_id, int) or not 0 < listing_id < 2**63:
        raise NotFound()
    verified = Membership.objects.filter(user=viewer, community=OuterRef("community_id"),
                                         status=MembershipStatus.VERIFIED)
    listing = (
        _listings().filter(pk=listing_id)
        .annotate(viewer_role=Subquery(verified.values("role")[:1]))
        .first()
    )
    if listing is None or listing.viewer_role is None:
        raise NotFound()
    listing.viewer_is_owner = listing.owner_id == viewer.pk
    listing.viewer_is_moderator = listing.viewer_role == Role.MODERATOR
    return listing


def help_candidates_queryset(*, listing: HelpListing) -> QuerySet[HelpListing]:
    other = HelpKind.OFFER if listing.kind == HelpKind.REQUEST else HelpKind.REQUEST
    already = HelpMatch.objects.filter(Q(request=listing) | Q(offer=listing))
    return (
        _listings()
        .filter(community_id=listing.community_id, status=HelpStatus.OPEN, category=listing.category, kind=other,
                owner_membership__status=MembershipStatus.VERIFIED)
        .exclude(owner_id=listing.owner_id)
        .exclude(pk__in=already.values("offer_id" if listing.kind == HelpKind.REQUEST else "request_id"))
    )


def help_match_candidates(*, listing: HelpListing, limit: int = 20) -> list[RankedCandidate]:
    """Candidates for a listing, best first (see groups.help.matching): one query."""
    pool = help_candidates_queryset(listing=listing).order_by("created_at", "pk")[:CANDIDATE_POOL]
    return rank_candidates(listing, list(pool))[:limit]


def help_match_get_for_party(*, viewer, match_id: int) -> HelpMatch:
    if not isinstance(match_id, int) or not 0 < match_id < 2**63:
        raise NotFound()
    match = (
        HelpMatch.objects.filter(pk=match_id)
        .filter(Q(helper=viewer) | Q(helped=viewer))
        .select_related("helper__profile", "helped__profile", "request", "offer")
        .first()
    )
    if match is None:
        raise NotFound()
    return match


def help_hours_totals(*, user, community: Community) -> dict:
    """Confirmed hours the member gave and received in a community: one query."""
    confirmed = HoursEntry.objects.filter(status=HoursStatus.CONFIRMED, match__request__community=community)
    zero = Value(0, output_field=DecimalField(max_digits=8, decimal_places=2))
    totals = confirmed.aggregate(
        given=Coalesce(Sum("hours", filter=Q(match__helper=user)), zero),
        received=Coalesce(Sum("hours", filter=Q(match__helped=user)), zero),
    )
    return totals


def help_thanks_board(*, community: Community) -> list[dict]:
    """The most generous helpers who agreed to be thanked by name: one query."""
    opted_in = HelpThanksOptIn.objects.filter(community=community, user=OuterRef("match__helper"))
    return list(
        HoursEntry.objects.filter(status=HoursStatus.CONFIRMED, match__request__community=community)
        .filter(Exists(opted_in))
        .values("match__helper", "match__helper__profile__display_name")
        .annotate(total=Sum("hours"))
        .order_by("-total", "match__helper__profile__display_name")[:THANKS_TOP]
    )


def help_thanks_opted_in(*, user, community: Community) -> bool:
    return HelpThanksOptIn.objects.filter(user=user, community=community).exists()


def proxy_action_log(*, community: Community, limit: int = 100) -> list[ProxyAction]:
    """What moderators did for offline members (the caller checked the viewer moderates): one query."""
    return list(
        ProxyAction.objects.filter(community=community)
        .select_related("moderator__profile", "member__profile", "listing")
        .order_by("-created_at", "-pk")[:limit]
    )


def help_match_for_listing(*, viewer, listing: HelpListing, match_id: int | None = None) -> HelpMatch:
    """The accepted match of a listing that the viewer is one of the pair of: the one given, or
    the only one. NotFound when there is none for the viewer."""
    qs = (
        HelpMatch.objects.filter(Q(request=listing) | Q(offer=listing))
        .filter(Q(helper=viewer) | Q(helped=viewer))
        .select_related("helper__profile", "helped__profile")
    )
    if match_id is not None:
        qs = qs.filter(pk=match_id)
    matches = list(qs[:2])
    if not matches:
        raise NotFound("There is no accepted match of this listing with you in it.")
    if len(matches) > 1:
        raise ApplicationError("This listing has several matches: say which one (match_id).")
    return matches[0]


def community_residents(*, community: Community, limit: int = 500) -> list[Membership]:
    """Verified residents by name, for a moderator choosing whom to act for: one query."""
    return list(
        Membership.objects.filter(community=community, status=MembershipStatus.VERIFIED)
        .select_related("user__profile")
        .order_by("user__profile__display_name", "pk")[:limit]
    )
