"""Reads for communities, addresses and memberships, with the tenant checks every app uses."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from neighbourly.accounts.models import Profile
from neighbourly.communities.addressing import parse_address
from neighbourly.communities.models import Address, Community, Membership, MembershipStatus, Role
from neighbourly.core.errors import NotFound


def community_list() -> QuerySet[Community]:
    """Communities are public by name; their content is not."""
    return Community.objects.only("id", "slug", "name").order_by("name")


def community_get_by_slug(*, slug: str) -> Community:
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        raise NotFound(f"No community with the slug '{slug}'.")
    return community


def community_get_public(*, slug: str) -> Community:
    community = (
        Community.objects.filter(slug=slug)
        .annotate(verified_count=Count("memberships", filter=Q(memberships__status=MembershipStatus.VERIFIED)))
        .prefetch_related("nearby")
        .first()
    )
    if community is None:
        raise NotFound()
    return community


class MembershipSuspended(NotFound):
    """A suspended member, told so (403) rather than "not found": only ever shown to that member.
    A NotFound subclass, so every caller that treats non-members as absent keeps working."""

    status_code = 403

    def __init__(self, membership: Membership, community_name: str = ""):
        until = timezone.localtime(membership.suspended_until) if membership.suspended_until else None
        when = f" until {date_format(until, 'j F Y, H:i')}" if until else ""
        where = f" of {community_name}" if community_name else ""
        super().__init__(
            f"Your membership{where} is suspended{when}: you cannot post, comment or chat there until then."
        )
        self.membership = membership
        self.extra = {"suspended_until": until.isoformat() if until else None}


def _effective(membership: Membership | None) -> Membership | None:
    """A suspension whose end has passed counts as verified. Reads never write: the membership is
    returned as it will be once lifted (verified, no end date) and marked `suspension_elapsed`, so a
    caller that may write can lift it (communities.services.membership_suspension_end); the periodic
    task lifts the rest."""
    if membership is not None:
        membership.suspension_elapsed = (
            membership.status == MembershipStatus.SUSPENDED
            and membership.suspended_until is not None
            and membership.suspended_until <= timezone.now()
        )
        if membership.suspension_elapsed:
            membership.status = MembershipStatus.VERIFIED
            membership.suspended_until = None
    return membership


def membership_get(*, user, community: Community) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return _effective(Membership.objects.filter(user=user, community=community).select_related("address").first())


def membership_get_by_slug(*, user, slug: str) -> tuple[Community, Membership]:
    """The viewer's own membership of a community, by the community's slug, in any state; NotFound
    when they have none (one query; an elapsed suspension reads as verified, see _effective)."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    membership = (
        Membership.objects.filter(user=user, community__slug=slug).select_related("community", "address").first()
    )
    if membership is None:
        raise NotFound()
    return membership.community, _effective(membership)


def membership_require_verified(*, user, community: Community) -> Membership:
    """The one check every capability makes: a verified, not suspended member, or NotFound
    (MembershipSuspended, a 403 with the end date, for the suspended member)."""
    membership = membership_get(user=user, community=community)
    if membership is not None and membership.status == MembershipStatus.SUSPENDED:
        raise MembershipSuspended(membership, community.name)
    if membership is None or membership.status != MembershipStatus.VERIFIED:
        raise NotFound()
    return membership


def community_get_for_member(*, user, slug: str) -> tuple[Community, Membership]:
    """A community as seen by one of its verified members; anyone else gets NotFound, and a
    suspended member MembershipSuspended (a NotFound with a 403 and the end date)."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    membership = _effective(
        Membership.objects.filter(
            user=user, community__slug=slug, status__in=(MembershipStatus.VERIFIED, MembershipStatus.SUSPENDED)
        )
        .select_related("community", "address")
        .first()
    )
    if membership is None:
        raise NotFound()
    if membership.status == MembershipStatus.SUSPENDED:
        raise MembershipSuspended(membership, membership.community.name)
    return membership.community, membership


def community_get_for_moderator(*, user, slug: str) -> tuple[Community, Membership]:
    community, membership = community_get_for_member(user=user, slug=slug)
    if membership.role != Role.MODERATOR:
        raise NotFound()
    return community, membership


def community_nearby_ids(*, community: Community) -> list[int]:
    return list(community.nearby.values_list("id", flat=True))


def shares_community(*, viewer, user_id: int) -> bool:
    """Whether `viewer` (a verified resident) may see `user_id` as a neighbour: a member, verified
    or suspended, of one of the viewer's communities or of one nearby (whose posts and chats reach
    the viewer). Oneself always. Used for avatars: anyone else's is not found."""
    if not getattr(viewer, "is_authenticated", False) or not 0 < user_id < 2**63:
        return False
    if viewer.pk == user_id:
        return True
    mine = Membership.objects.filter(user=viewer, status=MembershipStatus.VERIFIED).values("community_id")
    return Membership.objects.filter(
        Q(community_id__in=mine) | Q(community__nearby__in=mine),
        user_id=user_id, status__in=(MembershipStatus.VERIFIED, MembershipStatus.SUSPENDED),
    ).exists()


def membership_list_for_user(*, user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("community", "address")
        .order_by("-status", "community__name")
    )


def address_get(*, address_id: int) -> Address:
    address = Address.objects.select_related("community").filter(pk=address_id).first()
    if address is None:
        raise NotFound()
    return address


def address_search(*, query: str, limit: int = 10) -> list[Address]:
    """Register addresses matching a loosely typed address, best first, with their community."""
    parsed = parse_address(query[:200])
    if parsed is None:
        return []
    first_word = parsed.street.split()[0]
    candidates = (
        Address.objects.filter(number_key=parsed.number, street_key__startswith=first_word)
        .select_related("community")
        .order_by("street_key", "key")[:200]
    )
    results = []
    for address in candidates:
        street = address.street_key
        if not (street.startswith(parsed.street) or parsed.street.startswith(street)):
            continue
        unit = address.key.rsplit("|", 1)[1]
        if parsed.unit and unit != parsed.unit:
            continue
        results.append(address)
        if len(results) == limit:
            break
    return results


def avatar_name_for_viewer(*, viewer, user_id: int) -> str:
    """The stored avatar of `user_id` if `viewer` shares a community with them (or is them), else ""
    (the page answers 404: an avatar is not a way to find out who is a member anywhere)."""
    if not shares_community(viewer=viewer, user_id=user_id):
        return ""
    return Profile.objects.filter(user_id=user_id).values_list("avatar", flat=True).first() or ""


def directory_list(*, community) -> list[dict]:
    """The community directory: verified residents who opted in, by display name and, if they chose
    to show it, their street. Never a house number. One query, ordered by name."""
    memberships = (
        Membership.objects.filter(community=community, status=MembershipStatus.VERIFIED,
                                  user__profile__in_directory=True, user__is_active=True)
        .select_related("user__profile", "address")
        .order_by("user__profile__display_name", "id")
    )
    return [
        {"user_id": m.user_id, "display_name": m.user.profile.display_name,
         "street": m.user.profile.street_for_neighbours(m.address if m.address_id else None)}
        for m in memberships
    ]


def membership_list_for_me(*, user) -> list[dict]:
    """The member's own memberships as GET /me shows them (registered in apps.py)."""
    return [
        {"community": m.community.slug, "community_name": m.community.name, "role": m.role, "status": m.status,
         "street": m.address.street if m.address_id else None}
        for m in membership_list_for_user(user=user)
    ]
