"""Reads for chat and streams, each taking the viewer and applying the access checks.

Access to a conversation: an active (not removed) member who is still a verified resident of the
conversation's community or of a community nearby it. Anything else is NotFound.
"""

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from neighbourly.communities.models import Membership, MembershipStatus
from neighbourly.communities.selectors import community_get_for_member
from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.core.events import community_group, conversation_group
from neighbourly.realtime.models import Conversation, ConversationMember, Message

HISTORY_PAGE = 50


def _verified_memberships(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, status=MembershipStatus.VERIFIED)


def _accessible_conversations(*, user) -> QuerySet[Conversation]:
    """Conversations `user` may read and write, as one SQL query (EXISTS subqueries)."""
    if not getattr(user, "is_authenticated", False):
        return Conversation.objects.none()
    active_member = ConversationMember.objects.filter(
        conversation=OuterRef("pk"), user=user, removed_at__isnull=True
    )
    verified = _verified_memberships(user)
    return Conversation.objects.filter(
        Exists(active_member),
        Q(Exists(verified.filter(community=OuterRef("community_id"))))
        | Q(Exists(verified.filter(community__nearby=OuterRef("community_id")))),
    )


def conversation_get_for_member(*, user, conversation_id) -> Conversation:
    try:
        conversation_id = int(conversation_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    conversation = _accessible_conversations(user=user).filter(pk=conversation_id).first()
    if conversation is None:
        raise NotFound()
    return conversation


def conversation_lock_for_member(*, user, conversation_id) -> Conversation:
    """conversation_get_for_member, locking the row (FOR NO KEY UPDATE) for the seq counter.
    Call inside a transaction."""
    try:
        conversation_id = int(conversation_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    conversation = (
        _accessible_conversations(user=user).select_for_update(no_key=True).only("id", "last_seq", "direct_key")
        .filter(pk=conversation_id).first()
    )
    if conversation is None:
        raise NotFound()
    return conversation


def conversation_list_for_user(*, user) -> QuerySet[Conversation]:
    """The viewer's conversations, most recent first, with unread count, last message and members.

    Two queries whatever the number of conversations: the list (with subqueries) and the members.
    """
    mine = ConversationMember.objects.filter(conversation=OuterRef("pk"), user=user)
    last = Message.objects.filter(conversation=OuterRef("pk")).order_by("-seq")
    members = ConversationMember.objects.filter(removed_at__isnull=True).select_related("user__profile")
    return (
        _accessible_conversations(user=user)
        .annotate(
            my_last_read_seq=Subquery(mine.values("last_read_seq")[:1]),
            last_body=Subquery(last.values("body")[:1]),
            unread=F("last_seq") - Subquery(mine.values("last_read_seq")[:1]),
        )
        .select_related("community")
        .prefetch_related(Prefetch("members", queryset=members, to_attr="active_members"))
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")
    )


def conversation_unread_total(*, user) -> int:
    return sum(max(c.unread or 0, 0) for c in _accessible_conversations(user=user).annotate(
        unread=F("last_seq") - Subquery(
            ConversationMember.objects.filter(conversation=OuterRef("pk"), user=user).values("last_read_seq")[:1]
        )
    ).only("id", "last_seq"))


def conversation_inbox(*, user, conversation_ids=None, limit: int = 100) -> dict[int, tuple[int, int]]:
    """{conversation id: (last seq, the user's last read seq)} of the user's most recent conversations
    (or of `conversation_ids`): one query. Feeds the live "unread conversations" badge."""
    mine = ConversationMember.objects.filter(conversation=OuterRef("pk"), user=user)
    qs = _accessible_conversations(user=user).annotate(my_read=Subquery(mine.values("last_read_seq")[:1]))
    if conversation_ids is not None:
        qs = qs.filter(pk__in=[int(i) for i in conversation_ids])
    rows = qs.order_by(F("last_message_at").desc(nulls_last=True), "-id").values_list("id", "last_seq", "my_read")
    return {cid: (last_seq, my_read or 0) for cid, last_seq, my_read in rows[:limit]}


def community_streams_for_user(*, user) -> list[tuple[int, str]]:
    """(id, slug) of every community the user is a verified resident of: one query."""
    return list(_verified_memberships(user).order_by("community_id").values_list("community_id", "community__slug"))


def message_list(
    *, viewer, conversation: Conversation, after_seq: int | None = None, before_seq: int | None = None,
    limit: int = HISTORY_PAGE,
) -> list[Message]:
    """Messages in seq order: after `after_seq` (resync, oldest first) or the page before `before_seq`
    (history backwards). `conversation` comes from conversation_get_for_member(viewer)."""
    limit = max(1, min(int(limit), 200))
    messages = Message.objects.filter(conversation=conversation).select_related("author__profile")
    if after_seq is not None:
        return list(messages.filter(seq__gt=after_seq).order_by("seq")[:limit])
    if before_seq is not None:
        messages = messages.filter(seq__lt=before_seq)
    return list(reversed(messages.order_by("-seq")[:limit]))


def conversation_member_get(*, user, conversation: Conversation) -> ConversationMember | None:
    return ConversationMember.objects.filter(conversation=conversation, user=user).first()


def conversation_last_seqs(*, user, conversation_ids) -> dict[int, int]:
    """Latest seq of each conversation the user may still read (for gap detection on heartbeat)."""
    ids = [int(i) for i in conversation_ids]
    if not ids:
        return {}
    return dict(_accessible_conversations(user=user).filter(pk__in=ids).values_list("id", "last_seq"))


def stream_resolve(*, user, stream) -> tuple[str, str, int]:
    """Access check for a socket subscription: ("conversation"|"community", group name, object id).

    Raises NotFound (no access, or no such thing) or ApplicationError (malformed stream).
    """
    kind, _, key = str(stream or "").partition(":")
    if kind == "conversation":
        conversation = conversation_get_for_member(user=user, conversation_id=key)
        return kind, conversation_group(conversation.id), conversation.id
    if kind == "community":
        community, _membership = community_get_for_member(user=user, slug=key)
        return kind, community_group(community.id), community.id
    raise ApplicationError("Unknown stream: use 'conversation:ID' or 'community:SLUG'.")


def streams_still_allowed(*, user, conversation_ids, community_ids) -> tuple[set[int], set[int]]:
    """Which of a socket's subscriptions are still allowed (two queries), for the heartbeat."""
    conversations = set()
    if conversation_ids:
        conversations = set(
            _accessible_conversations(user=user).filter(pk__in=list(conversation_ids)).values_list("id", flat=True)
        )
    communities = set()
    if community_ids:
        communities = set(
            _verified_memberships(user).filter(community_id__in=list(community_ids)).values_list(
                "community_id", flat=True
            )
        )
    return conversations, communities


def conversation_members(*, conversation: Conversation) -> QuerySet[ConversationMember]:
    return (
        ConversationMember.objects.filter(conversation=conversation, removed_at__isnull=True)
        .select_related("user__profile")
        .order_by("joined_at")
    )


def neighbour_get(*, user, other_user_id: int):
    """Another verified resident of one of the user's communities (or nearby), with profile; else None."""
    from neighbourly.accounts.models import User

    verified = _verified_memberships(user)
    other_verified = Membership.objects.filter(user=OuterRef("pk"), status=MembershipStatus.VERIFIED)
    return (
        User.objects.filter(pk=other_user_id, is_active=True)
        .exclude(pk=user.pk)
        .filter(
            Q(Exists(other_verified.filter(community__in=verified.values("community_id"))))
            | Q(Exists(other_verified.filter(community__nearby__in=verified.values("community_id"))))
        )
        .select_related("profile")
        .first()
    )
