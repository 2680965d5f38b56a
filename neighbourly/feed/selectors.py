"""Reads for the feed, with the access rules: a post is seen only by verified residents of its
community, or of a nearby community when the post is shared with nearby communities.

A feed page costs a constant number of queries whatever its size: one for the member's context
(membership, community, street, profile, nearby ids), one for the posts (authors, streets and
the viewer's own reaction, vote and RSVP joined or sub-selected in), one for their images.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Aggregate, CharField, Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from neighbourly.accounts.selectors import blocked_by_ids
from neighbourly.communities.models import Community, Membership, MembershipStatus
from neighbourly.communities.selectors import MembershipSuspended
from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.core.pagination import InvalidCursor, cursor_decode, cursor_encode, keyset_filter
from neighbourly.core.plugins import Registry
from neighbourly.feed.models import (
    Comment,
    EventRsvp,
    PollVote,
    Post,
    PostImage,
    PostKind,
    Reaction,
    Visibility,
)

PAGE_SIZE = 20
MAX_PAGE_SIZE = 50


class _IdList(Aggregate):
    """Comma-separated ids: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, function="STRING_AGG", template="%(function)s((%(expressions)s)::text, ',')"
        )


@dataclass
class FeedContext:
    """Who is looking at which community's feed."""

    community: Community
    membership: Membership | None
    nearby_ids: list[int] = field(default_factory=list)
    group_id: int | None = None  # a group's feed (groups.selectors checked access); no nearby posts



# Posts that live in a narrower scope than the community (a group's posts): the scope's owner
# registers who may read and write them (groups, from its AppConfig.ready()). access(viewer=,
# group_id=) raises NotFound when the viewer may not read; returns why they may not write ("" if they may).
post_scope_access: Registry[Callable[..., str]] = Registry("post scope access")

def feed_context_for_member(*, viewer, slug: str) -> FeedContext:
    """The viewer's verified membership of `slug` with everything a feed page needs: one query.
    NotFound for anyone else; MembershipSuspended (a 403 that says until when) for a member whose
    suspension is still running."""
    if not getattr(viewer, "is_authenticated", False):
        raise NotFound()
    through = Community.nearby.through
    nearby = (
        through.objects.filter(from_community=OuterRef("community_id"))
        .values("from_community")
        .annotate(ids=_IdList("to_community"))
        .values("ids")
    )
    membership = (
        Membership.objects.filter(
            user=viewer, community__slug=slug, status__in=(MembershipStatus.VERIFIED, MembershipStatus.SUSPENDED)
        )
        .select_related("community", "address", "user__profile")
        .annotate(nearby_ids=Subquery(nearby))
        .first()
    )
    if membership is None:
        raise NotFound()
    if membership.status == MembershipStatus.SUSPENDED:
        if membership.suspended_until is None or membership.suspended_until > timezone.now():
            raise MembershipSuspended(membership, membership.community.name)
        raise NotFound()  # ended but not lifted yet: the community page lifts it (never a read)
    # The page header shows the viewer's own name: share the profile we already loaded.
    viewer.profile = membership.user.profile
    ids = [int(i) for i in (membership.nearby_ids or "").split(",") if i]
    return FeedContext(community=membership.community, membership=membership, nearby_ids=sorted(ids))


# --- posts ---------------------------------------------------------------------------------


def _images() -> Prefetch:
    return Prefetch("images", queryset=PostImage.objects.order_by("position", "id"))


def post_queryset(*, viewer) -> QuerySet[Post]:
    """Posts with their authors, streets, community and the viewer's own reaction/vote/RSVP."""
    mine = {"post": OuterRef("pk"), "user": viewer}
    return (
        Post.objects.filter(hidden_at__isnull=True)
        .select_related("community", "author__profile", "author_membership__address")
        .annotate(
            my_reaction=Subquery(Reaction.objects.filter(**mine).values("kind")[:1]),
            my_vote=Subquery(PollVote.objects.filter(**mine).values("option")[:1]),
            my_rsvp=Subquery(EventRsvp.objects.filter(**mine).values("status")[:1]),
        )
        .prefetch_related(_images())
    )


def post_get_for_viewer(*, viewer, post_id: int) -> Post:
    """One post as the viewer may see it (two queries), or NotFound; sets `viewer_membership_id`."""
    if not getattr(viewer, "is_authenticated", False) or not 0 < post_id < 2**63:
        raise NotFound()
    verified = Membership.objects.filter(user=viewer, status=MembershipStatus.VERIFIED)
    post = (
        post_queryset(viewer=viewer)
        .filter(pk=post_id)
        .annotate(
            own_membership_id=Subquery(verified.filter(community=OuterRef("community_id")).values("id")[:1]),
            nearby_membership_id=Subquery(
                verified.filter(community__nearby=OuterRef("community_id")).values("id")[:1]
            ),
        )
        .first()
    )
    if post is None:
        raise NotFound()
    post.viewer_membership_id = post.own_membership_id or (
        post.nearby_membership_id if post.visibility == Visibility.NEARBY else None
    )
    if post.viewer_membership_id is None:
        raise NotFound()
    if post.group_id is not None:
        # A group's post: the group decides (closed groups: members only; archived: read-only).
        group_access = post_scope_access.get("group")
        if group_access is None:
            raise NotFound()
        post.read_only = group_access(viewer=viewer, group_id=post.group_id)
    return post


# --- keyset pagination ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """The feed's position: the last post served, and as an extra key the pages already served
    (lets other feed sources rotate their items). One token of core.pagination's codec."""

    created_at: datetime
    id: int
    page: int

    def encode(self) -> str:
        return cursor_encode(self.created_at, self.id, self.page)

    @classmethod
    def decode(cls, value: str | None) -> "Cursor | None":
        values = cursor_decode(value, types=(datetime, int, int))
        if values is None:
            return None
        if values[2] < 0:
            raise InvalidCursor()
        return cls(*values)


_KEYS = ("created_at", "id")


def _older_than(qs: QuerySet, cursor: Cursor | None) -> QuerySet:
    if cursor is None:
        return qs
    return qs.filter(keyset_filter(_KEYS, (cursor.created_at, cursor.id), descending=True))


def _newer_than(qs: QuerySet, since: Cursor | None) -> QuerySet:
    if since is None:
        return qs
    return qs.filter(keyset_filter(_KEYS, (since.created_at, since.id), descending=False))


def _without_blocked(qs: QuerySet, viewer) -> QuerySet:
    """Leave out the posts of people the viewer blocked (a subquery in the same statement)."""
    return qs.exclude(author__in=blocked_by_ids(user=viewer))


def _branch(
    *, viewer, community_id: int, nearby_only: bool, cursor, kind, since=None, exclude_author=None
) -> QuerySet:
    qs = _without_blocked(
        Post.objects.filter(community_id=community_id, group__isnull=True, hidden_at__isnull=True), viewer
    )
    if nearby_only:
        qs = qs.filter(visibility=Visibility.NEARBY)
    if kind:
        qs = qs.filter(kind=kind)
    if exclude_author is not None:
        qs = qs.exclude(author=exclude_author)
    return _newer_than(_older_than(qs, cursor), since).order_by("-created_at", "-id")


def post_list_for_feed(
    *, viewer, context: FeedContext, cursor: Cursor | None = None, kind: str | None = None, limit: int = PAGE_SIZE,
    since: Cursor | None = None, ids_only: bool = False,
) -> list:
    """Up to `limit` posts older than `cursor`, newest first: the community's own posts and the
    nearby communities' posts shared with it. Each community is its own bounded index range scan
    (a union of LIMITed branches), so the cost does not grow with the size of the table.

    With `since` (the live feed's "N new posts"): the posts newer than it, the viewer's own left
    out (their page shows them already). `ids_only` returns post ids instead of posts (one query)."""
    if kind and kind not in PostKind.values:
        raise ApplicationError(f"Unknown kind '{kind}'. Choose one of: {', '.join(PostKind.values)}.")
    if since is not None:
        return _posts_since(viewer=viewer, context=context, since=since, kind=kind, limit=limit, ids_only=ids_only)
    qs = _without_blocked(post_queryset(viewer=viewer), viewer)
    if context.group_id is not None:
        qs = _older_than(qs.filter(group_id=context.group_id), cursor)
        if kind:
            qs = qs.filter(kind=kind)
        return list(qs.order_by("-created_at", "-id")[:limit])
    own = _branch(viewer=viewer, community_id=context.community.id, nearby_only=False, cursor=cursor, kind=kind)
    if not context.nearby_ids:
        qs = _older_than(qs.filter(community_id=context.community.id, group__isnull=True), cursor)
        if kind:
            qs = qs.filter(kind=kind)
    else:
        parts, params = [], []
        branches = [own] + [
            _branch(viewer=viewer, community_id=cid, nearby_only=True, cursor=cursor, kind=kind)
            for cid in context.nearby_ids
        ]
        for i, branch in enumerate(branches):
            sql, branch_params = branch.values("id")[:limit].query.sql_with_params()
            parts.append(f"SELECT b{i}.id FROM ({sql}) b{i}")
            params.extend(branch_params)
        qs = qs.filter(pk__in=RawSQL(" UNION ALL ".join(parts), params))
    return list(qs.order_by("-created_at", "-id")[:limit])


def _posts_since(*, viewer, context: FeedContext, since: Cursor, kind, limit: int, ids_only: bool) -> list:
    """The community feed's posts newer than `since` (a group's feed has no live banner)."""
    branches = [
        _branch(viewer=viewer, community_id=cid, nearby_only=cid != context.community.id, cursor=None, kind=kind,
                since=since, exclude_author=viewer)
        for cid in [context.community.id, *context.nearby_ids]
    ]
    if len(branches) == 1:
        ids = branches[0].values("id")[:limit]
    else:
        parts, params = [], []
        for i, branch in enumerate(branches):
            sql, branch_params = branch.values("id")[:limit].query.sql_with_params()
            parts.append(f"SELECT b{i}.id FROM ({sql}) b{i}")
            params.extend(branch_params)
        ids = RawSQL(" UNION ALL ".join(parts), params)
    if ids_only:
        qs = Post.objects.filter(pk__in=ids).order_by("-created_at", "-id").values_list("id", flat=True)
        return list(qs[:limit])
    return list(post_queryset(viewer=viewer).filter(pk__in=ids).order_by("-created_at", "-id")[:limit])


# --- comments ------------------------------------------------------------------------------


def comment_list_for_post(*, post: Post, viewer=None) -> list[Comment]:
    """Visible comments of a post, oldest first, replies after their parent: one query.

    With `viewer`, comments by people they blocked are left out; a top-level one that others
    replied to stays as a placeholder (`from_blocked`, shown without its text) so the replies
    keep their place."""
    comments = Comment.objects.filter(post=post, hidden_at__isnull=True)
    if viewer is not None:
        comments = comments.annotate(
            from_blocked=Exists(blocked_by_ids(user=viewer).filter(blocked_id=OuterRef("author_id")))
        )
    comments = list(
        comments.select_related("author__profile", "author_membership__address").order_by("created_at", "id")
    )
    by_parent: dict[int | None, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id is not None and getattr(comment, "from_blocked", False):
            continue
        by_parent.setdefault(comment.parent_id, []).append(comment)
    ordered = []
    for comment in by_parent.get(None, []):
        comment.reply_list = by_parent.get(comment.id, [])
        if getattr(comment, "from_blocked", False) and not comment.reply_list:
            continue
        ordered.append(comment)
    return ordered


def comment_get_for_viewer(*, viewer, comment_id: int) -> Comment:
    if not 0 < comment_id < 2**63:
        raise NotFound()
    comment = Comment.objects.filter(pk=comment_id, hidden_at__isnull=True).only("id", "post_id").first()
    if comment is None:
        raise NotFound()
    post = post_get_for_viewer(viewer=viewer, post_id=comment.post_id)
    comment = Comment.objects.select_related("author__profile").get(pk=comment_id)
    comment.post = post
    return comment


# --- report targets (used by moderation) ---------------------------------------------------


def post_report_target(*, viewer, target_id: int) -> int:
    return post_get_for_viewer(viewer=viewer, post_id=target_id).community_id


def comment_report_target(*, viewer, target_id: int) -> int:
    return comment_get_for_viewer(viewer=viewer, comment_id=target_id).post.community_id
