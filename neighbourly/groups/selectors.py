"""Reads for groups, with the access rules.

Every group read starts from `group_get_for_viewer`: the viewer must be a verified resident of
the group's community (anyone else gets NotFound, as for every community-owned thing); one query
also brings the viewer's group membership. A closed group's feed, members and room are for its
active members only (`group_require_readable` → NotFound).
"""


from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from neighbourly.accounts.models import AgeBand
from neighbourly.communities.models import Community, Membership, MembershipStatus, Role
from neighbourly.core.errors import NotFound
from neighbourly.core.pagination import keyset_page
from neighbourly.feed.selectors import FeedContext
from neighbourly.groups.models import Group, GroupMembership, GroupMemberStatus, GroupRole

PAGE_SIZE = 30
AGE_MIX_MIN_STATED = 5  # fewer stated age bands than this and no aggregate is shown at all

# Generations used for the mix: coarse on purpose, so a figure never points at one person.
GENERATIONS = [
    ("younger", "Under 35", {AgeBand.B18_24, AgeBand.B25_34}),
    ("middle", "35 to 64", {AgeBand.B35_49, AgeBand.B50_64}),
    ("older", "65 and over", {AgeBand.B65_79, AgeBand.B80_PLUS}),
]


def generation_of(age_band: str) -> str | None:
    for key, _label, bands in GENERATIONS:
        if age_band in bands:
            return key
    return None


def _valid_id(value) -> bool:
    return isinstance(value, int) and 0 < value < 2**63


def _annotate_viewer(qs: QuerySet[Group], viewer) -> QuerySet[Group]:
    mine = GroupMembership.objects.filter(group=OuterRef("pk"), user=viewer)
    return qs.annotate(
        viewer_status=Subquery(mine.values("status")[:1]),
        viewer_role=Subquery(mine.values("role")[:1]),
    )


def _decorate(group: Group) -> Group:
    group.is_member = group.viewer_status == GroupMemberStatus.ACTIVE
    group.is_pending = group.viewer_status == GroupMemberStatus.PENDING
    group.is_group_moderator = group.is_member and group.viewer_role == GroupRole.MODERATOR
    group.can_read = group.is_member or not group.is_closed
    return group


def group_get_for_viewer(*, viewer, group_id: int) -> Group:
    """A group as a verified resident of its community sees it (one query), or NotFound.
    Sets is_member, is_pending, is_group_moderator, can_read, viewer_membership_id, viewer_is_moderator."""
    if not getattr(viewer, "is_authenticated", False) or not _valid_id(group_id):
        raise NotFound()
    verified = Membership.objects.filter(
        user=viewer, community=OuterRef("community_id"), status=MembershipStatus.VERIFIED
    )
    group = (
        _annotate_viewer(Group.objects.filter(pk=group_id), viewer)
        .select_related("community")
        .annotate(
            viewer_membership_id=Subquery(verified.values("id")[:1]),
            viewer_community_role=Subquery(verified.values("role")[:1]),
        )
        .first()
    )
    if group is None or group.viewer_membership_id is None:
        raise NotFound()
    group.viewer_is_moderator = group.viewer_community_role == Role.MODERATOR
    return _decorate(group)


def group_require_readable(*, group: Group) -> Group:
    """The feed, members and room of a closed group are for its members: NotFound for others."""
    if not group.can_read:
        raise NotFound()
    return group


def group_get_readable(*, viewer, group_id: int) -> Group:
    return group_require_readable(group=group_get_for_viewer(viewer=viewer, group_id=group_id))


def group_post_access(*, viewer, group_id: int) -> str:
    """For feed.selectors.post_get_for_viewer: NotFound if the viewer may not read the group's
    posts; otherwise why they may not write to them ("" when they may)."""
    group = group_get_readable(viewer=viewer, group_id=group_id)
    if group.is_archived:
        return "This group is archived: its posts are read-only."
    if not group.is_member:
        return "Join the group to take part in its conversations."
    return ""


def group_feed_context(*, group: Group) -> FeedContext:
    """The feed assembler's context for a readable group (no extra query)."""
    group_require_readable(group=group)
    return FeedContext(community=group.community, membership=None, group_id=group.id)


def group_list_for_community(
    *, viewer, community: Community, query: str = "", cursor: str | None = None, limit: int = PAGE_SIZE
) -> tuple[list[Group], str | None]:
    """Live groups of a community (the caller checked the viewer lives there), by name, keyset-
    paged, with the viewer's own status: one query per page whatever the number of groups."""
    qs = Group.objects.filter(community=community, archived_at__isnull=True)
    query = (query or "").strip()[:100]
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(description__icontains=query))
    return keyset_page(
        _annotate_viewer(qs, viewer), keys=("name", "id"), cursor=cursor, size=limit, descending=False,
        fetch=lambda page, n: group_list_decorated(page, limit=n),
    )


def group_list_decorated(qs: QuerySet[Group], *, limit: int = 200) -> list[Group]:
    return [_decorate(group) for group in qs.select_related("community")[:limit]]


def group_list_for_member(*, viewer, community: Community | None = None) -> list[Group]:
    """"My groups": the groups the viewer is an active member of (in one community, or all of
    their verified communities), one query."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    qs = Group.objects.filter(
        memberships__user=viewer,
        memberships__status=GroupMemberStatus.ACTIVE,
        community__memberships__user=viewer,
        community__memberships__status=MembershipStatus.VERIFIED,
    )
    if community is not None:
        qs = qs.filter(community=community)
    return group_list_decorated(_annotate_viewer(qs, viewer).order_by("archived_at", "name", "id"))


def groups_in_common(*, viewer, other_id: int) -> list[Group]:
    """Groups both are active members of, in communities where the viewer is a verified resident
    (for a neighbour's profile card): one query, by name."""
    both = Group.objects.filter(
        memberships__user=viewer, memberships__status=GroupMemberStatus.ACTIVE,
        community__in=Membership.objects.filter(user=viewer, status=MembershipStatus.VERIFIED).values("community_id"),
    ).filter(memberships__user_id=other_id, memberships__status=GroupMemberStatus.ACTIVE)
    return list(both.only("id", "name", "community_id", "archived_at").order_by("name", "id").distinct())


def group_member_list(*, group: Group) -> QuerySet[GroupMembership]:
    """Active members with display names (never addresses), group moderators first: one query."""
    return (
        GroupMembership.objects.filter(group=group, status=GroupMemberStatus.ACTIVE)
        .select_related("user__profile")
        .order_by("-role", "user__profile__display_name", "id")
    )


def group_join_requests(*, group: Group) -> QuerySet[GroupMembership]:
    return (
        GroupMembership.objects.filter(group=group, status=GroupMemberStatus.PENDING)
        .select_related("user__profile")
        .order_by("created_at", "id")
    )


def group_age_mix(*, group: Group) -> dict | None:
    """The generational mix of a group's active members who stated an age band: one query.
    None when fewer than AGE_MIX_MIN_STATED stated one, so no one can be singled out."""
    rows = (
        GroupMembership.objects.filter(group=group, status=GroupMemberStatus.ACTIVE)
        .exclude(user__profile__age_band="")
        .values("user__profile__age_band")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {key: 0 for key, _label, _bands in GENERATIONS}
    for row in rows:
        key = generation_of(row["user__profile__age_band"])
        if key:
            counts[key] += row["n"]
    stated = sum(counts.values())
    if stated < AGE_MIX_MIN_STATED:
        return None
    generations = [
        {"key": key, "label": label, "count": counts[key], "percent": round(100 * counts[key] / stated)}
        for key, label, _bands in GENERATIONS
    ]
    missing = [g["label"] for g in generations if g["count"] == 0]
    return {"stated": stated, "generations": generations, "missing": missing}
