"""Neighbours as a resident sees them: the profile card and the people search of "New message".

The access rule is realtime's for direct messages: another verified resident of one of my
communities, or of a community nearby one of mine. Anyone else is NotFound. What is shown is the
display name, the street if they chose to show it (never a house number), avatar, bio, the
community and the groups we are both in.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from neighbourly.accounts.models import Block, User
from neighbourly.communities.models import Community, Membership, MembershipStatus
from neighbourly.core.errors import NotFound
from neighbourly.core.plugins import Registry

SEARCH_MIN_CHARS = 2
SEARCH_LIMIT = 20

# What else two neighbours share, shown on the card: apps above communities register a part from
# their AppConfig.ready() (groups: "groups_in_common" -> part(viewer=, other_id=) -> list of groups).
card_shared: Registry = Registry("neighbour card: shared with me")


@dataclass
class NeighbourCard:
    user: User
    display_name: str
    street: str | None
    bio: str
    has_avatar: bool
    community: Community
    is_me: bool
    blocked_by_me: bool
    blocked_me: bool
    groups_in_common: list = field(default_factory=list)

    @property
    def can_message(self) -> bool:
        return not (self.is_me or self.blocked_by_me or self.blocked_me)


def _my_communities(viewer) -> QuerySet:
    return Membership.objects.filter(user=viewer, status=MembershipStatus.VERIFIED).values("community_id")


def neighbour_membership(*, viewer, user_id: int) -> Membership:
    """The verified membership through which `viewer` may see `user_id` (their shared community
    first, else one nearby), with profile, address and block state: one query. Else NotFound."""
    if not getattr(viewer, "is_authenticated", False) or not 0 < int(user_id) < 2**63:
        raise NotFound("No such neighbour.")
    mine = _my_communities(viewer)
    membership = (
        Membership.objects.filter(user_id=user_id, user__is_active=True, status=MembershipStatus.VERIFIED)
        .filter(Q(community__in=mine) | Q(community__nearby__in=mine))
        .select_related("user__profile", "address", "community")
        .annotate(
            same=Exists(mine.filter(community=OuterRef("community_id"))),
            blocked_by_me=Exists(Block.objects.filter(blocker=viewer, blocked=OuterRef("user_id"))),
            blocked_me=Exists(Block.objects.filter(blocker=OuterRef("user_id"), blocked=viewer)),
        )
        .order_by("-same", "id")
        .first()
    )
    if membership is None:
        raise NotFound("No such neighbour.")
    return membership


def neighbour_card(*, viewer, user_id: int) -> NeighbourCard:
    """The profile card of a neighbour (one query, plus one per registered `card_shared` part)."""
    membership = neighbour_membership(viewer=viewer, user_id=user_id)
    user = membership.user
    profile = user.profile
    is_me = user.pk == viewer.pk
    return NeighbourCard(
        user=user,
        display_name=profile.display_name,
        street=profile.street_for_neighbours(membership.address if membership.address_id else None),
        bio=profile.bio,
        has_avatar=bool(profile.avatar),
        community=membership.community,
        is_me=is_me,
        blocked_by_me=membership.blocked_by_me,
        blocked_me=membership.blocked_me,
        groups_in_common=[] if is_me or not (part := card_shared.get("groups_in_common"))
        else part(viewer=viewer, other_id=user.pk),
    )


def neighbour_search(*, viewer, query: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    """Verified residents of the viewer's own communities whose display name contains `query`
    (at least two characters), leaving out the viewer and anyone blocked either way: one query."""
    query = (query or "").strip()[:60]
    if len(query) < SEARCH_MIN_CHARS or not getattr(viewer, "is_authenticated", False):
        return []
    either_way = Block.objects.filter(
        Q(blocker=viewer, blocked=OuterRef("user_id")) | Q(blocker=OuterRef("user_id"), blocked=viewer)
    )
    memberships = (
        Membership.objects.filter(
            community__in=_my_communities(viewer), status=MembershipStatus.VERIFIED, user__is_active=True,
            user__profile__display_name__icontains=query,
        )
        .exclude(user=viewer)
        .exclude(Exists(either_way))
        .select_related("user__profile", "address", "community")
        .order_by("user__profile__display_name", "user_id", "id")[: limit * 3]
    )
    results, seen = [], set()
    for m in memberships:  # someone verified in two of my communities is listed once
        if m.user_id in seen:
            continue
        seen.add(m.user_id)
        profile = m.user.profile
        results.append({
            "id": m.user_id,
            "display_name": profile.display_name,
            "street": profile.street_for_neighbours(m.address if m.address_id else None),
            "community": m.community.name,
            "has_avatar": bool(profile.avatar),
        })
        if len(results) == limit:
            break
    return results
