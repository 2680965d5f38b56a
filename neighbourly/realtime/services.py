"""Writes for chat: conversations, members, messages, read state.

A message is saved first, with the next per-conversation sequence number allocated under a row
lock on the conversation (the row is the counter), and sent to the conversation group only after
the transaction commits. `client_id` makes a send idempotent: the same (author, client_id) in a
conversation stores one message and returns it again.
"""

import logging
import time
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from neighbourly.accounts.models import User
from neighbourly.accounts.selectors import blocked_between
from neighbourly.communities.models import Community, Membership, MembershipStatus
from neighbourly.core.errors import ApplicationError, NotFound, PermissionDenied, RateLimited
from neighbourly.core.events import (
    ACCESS_REVOKED,
    SESSION_ENDED,
    conversation_group,
    send_event_on_commit,
    session_tag,
    user_group,
)
from neighbourly.core.ratelimit import rate_limit
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.realtime.models import (
    CLIENT_ID_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    Conversation,
    ConversationKind,
    ConversationMember,
    Message,
)
from neighbourly.realtime.selectors import conversation_get_for_member, conversation_lock_for_member

logger = logging.getLogger(__name__)

# Per-user chat send budget (socket and HTTP together): this many messages per window.
CHAT_RATE_MESSAGES = getattr(settings, "NEIGHBOURLY_CHAT_RATE_MESSAGES", 30)
CHAT_RATE_WINDOW_S = getattr(settings, "NEIGHBOURLY_CHAT_RATE_WINDOW_S", 10)


def message_event_base(message: Message) -> dict:
    return {
        "type": "chat.message", "conversation": message.conversation_id, "seq": message.seq, "id": message.id,
        "body": message.body, "sent_at": message.sent_at.isoformat(), "client_id": message.client_id,
    }


def message_event(message: Message) -> dict:
    """The `chat.message` frame. Names only: never an address or a house number."""
    author = message.author
    if author is None:  # the author left and kept their messages, anonymised
        return {**message_event_base(message), "author": {"id": 0, "name": "Former neighbour"}}
    profile = getattr(author, "profile", None)
    return {
        "type": "chat.message",
        "conversation": message.conversation_id,
        "seq": message.seq,
        "id": message.id,
        "author": {"id": author.id, "name": profile.display_name if profile else ""},
        "body": message.body,
        "sent_at": message.sent_at.isoformat(),
        "client_id": message.client_id,
    }


def _shared_community(*, user: User, other: User) -> Community:
    """A community where both are verified residents, or the user's own when the other lives nearby."""
    mine = list(
        Membership.objects.filter(user=user, status=MembershipStatus.VERIFIED).values_list("community_id", flat=True)
    )
    theirs = set(
        Membership.objects.filter(user=other, status=MembershipStatus.VERIFIED).values_list("community_id", flat=True)
    )
    for community_id in mine:
        if community_id in theirs:
            return Community.objects.get(pk=community_id)
    nearby = Community.nearby.through.objects.filter(from_community_id__in=mine, to_community_id__in=theirs).first()
    if nearby is None:
        raise NotFound("No such neighbour.")
    return Community.objects.get(pk=nearby.from_community_id)


def _member_add(conversation: Conversation, user: User) -> ConversationMember:
    member, created = ConversationMember.objects.get_or_create(
        conversation=conversation, user=user, defaults={"last_read_seq": conversation.last_seq}
    )
    if not created and member.removed_at is not None:
        member.removed_at = None
        member.joined_at = timezone.now()
        member.save(update_fields=["removed_at", "joined_at", "updated_at"])
        created = True
    if created:  # the member's open tabs start following it (unread badge) without a reload
        send_event_on_commit(
            user_group(user.pk), {"type": "access.granted", "stream": f"conversation:{conversation.pk}"}
        )
    return member


def _refuse_if_blocked(*, user_id: int, other_id: int) -> None:
    """Either of two people blocked the other: no direct messages between them, either way."""
    if blocked_between(a_id=user_id, b_id=other_id):
        raise PermissionDenied("You cannot send messages to this neighbour.")


def conversation_direct_get_or_create(
    *, user: User, other_user_id: int, ip: str | None = None
) -> tuple[Conversation, bool]:
    """The one direct conversation between two residents of the same (or a nearby) community."""
    other = User.objects.filter(pk=other_user_id, is_active=True).first()
    if other is None or other.pk == user.pk:
        raise NotFound("No such neighbour.")
    community = _shared_community(user=user, other=other)
    _refuse_if_blocked(user_id=user.pk, other_id=other.pk)
    low, high = sorted((user.pk, other.pk))
    key = f"{low}:{high}"
    existing = Conversation.objects.filter(direct_key=key).first()
    if existing is not None:
        with transaction.atomic():
            for person in (user, other):  # a direct conversation is never left for good
                _member_add(existing, person)
        return existing, False
    rate_limit("conversation", user=user, ip=ip)
    try:
        with transaction.atomic():
            conversation = Conversation(kind=ConversationKind.DIRECT, community=community, direct_key=key)
            full_clean_or_raise(conversation)
            conversation.save()
            for person in (user, other):
                _member_add(conversation, person)
    except IntegrityError:  # created by a concurrent request between our read and write
        return Conversation.objects.get(direct_key=key), False
    return conversation, True


@transaction.atomic
def conversation_create_room(
    *, community: Community, title: str, members: Iterable[User], created_by: User | None = None
) -> Conversation:
    """A room for another capability (a group, a matched help pair). The caller has checked who may join."""
    conversation = Conversation(kind=ConversationKind.ROOM, community=community, title=(title or "").strip())
    full_clean_or_raise(conversation)
    conversation.save()
    people = {m.pk: m for m in members}
    if created_by is not None:
        people.setdefault(created_by.pk, created_by)
    for person in people.values():
        _member_add(conversation, person)
    return conversation


@transaction.atomic
def conversation_room_create_for_residents(
    *, user: User, community: Community, member_ids, title: str = "", ip: str | None = None
):
    """A room started by a resident with neighbours who are verified in the same community."""
    ids = {int(i) for i in member_ids} - {user.pk}
    if not ids:
        raise ApplicationError("Name at least one neighbour.")
    if len(ids) > 50:
        raise ApplicationError("A room started by a resident holds at most 50 neighbours.")
    found = list(
        User.objects.filter(
            pk__in=ids, memberships__community=community, memberships__status=MembershipStatus.VERIFIED
        )
    )
    if len(found) != len(ids):
        raise NotFound("No such neighbour.")
    rate_limit("conversation", user=user, ip=ip)
    return conversation_create_room(community=community, title=title or "", members=found, created_by=user)


@transaction.atomic
def conversation_member_add(*, conversation: Conversation, user: User) -> ConversationMember:
    return _member_add(conversation, user)


@transaction.atomic
def conversation_member_remove(*, conversation: Conversation, user: User) -> None:
    """Remove a member: their sockets are told at once (and re-check on every heartbeat anyway)."""
    updated = ConversationMember.objects.filter(
        conversation=conversation, user=user, removed_at__isnull=True
    ).update(removed_at=timezone.now())
    if updated:
        send_event_on_commit(
            user_group(user.pk), {"type": ACCESS_REVOKED, "stream": f"conversation:{conversation.pk}"}
        )


def sockets_close_session(*, user_id: int, session_key: str | None) -> None:
    """Logout: close the sockets opened with this session (code 4401); None closes all of the user's."""
    tag = session_tag(session_key) if session_key is not None else None
    send_event_on_commit(user_group(user_id), {"type": SESSION_ENDED, "session": tag})


def _rate_check(user: User) -> None:
    window = int(time.time() // CHAT_RATE_WINDOW_S)
    key = f"chat-rate:{user.pk}:{window}"
    try:
        if cache.add(key, 1, timeout=CHAT_RATE_WINDOW_S * 2):
            return
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        return
    except Exception:  # noqa: BLE001 - cache (Redis) away: let the send through; sockets keep their own budget
        logger.warning("chat rate check skipped: cache unavailable", exc_info=True)
        return
    if count > CHAT_RATE_MESSAGES:
        raise RateLimited("You are sending messages too fast; wait a few seconds.")


def chat_message_send(*, user: User, conversation_id: int, body: str, client_id: str = "") -> tuple[Message, bool]:
    """Save a message with the next seq, idempotent by client_id; publish it after commit.

    Returns (message, created). A repeated client_id returns the stored message and publishes nothing.
    """
    body = (body or "").strip()
    client_id = (client_id or "").strip() or uuid.uuid4().hex
    if not body:
        raise ApplicationError("Write a message first.")
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ApplicationError(f"A message holds at most {MESSAGE_MAX_LENGTH} characters.")
    if len(client_id) > CLIENT_ID_MAX_LENGTH:
        raise ApplicationError(f"client_id holds at most {CLIENT_ID_MAX_LENGTH} characters.")
    _rate_check(user)
    with transaction.atomic():
        # Access check and row lock in one statement. The lock serialises senders of this
        # conversation only, so seq = last_seq + 1 never repeats and never skips.
        locked = conversation_lock_for_member(user=user, conversation_id=conversation_id)
        existing = _message_by_client_id(locked.pk, user, client_id)  # a retry (or a concurrent one)
        if existing is not None:
            return existing, False
        if locked.direct_key:  # "low:high": a block between the two stops the conversation
            low, high = (int(i) for i in locked.direct_key.split(":"))
            _refuse_if_blocked(user_id=low, other_id=high)
        now = timezone.now()
        seq = locked.last_seq + 1
        Conversation.objects.filter(pk=locked.pk).update(last_seq=seq, last_message_at=now, updated_at=now)
        message = Message(conversation_id=locked.pk, seq=seq, author=user, body=body, client_id=client_id, sent_at=now)
        message.save()
        ConversationMember.objects.filter(conversation_id=locked.pk, user=user).update(last_read_seq=seq)
        send_event_on_commit(conversation_group(locked.pk), message_event(message))
        transaction.on_commit(lambda: _notify_later(locked.pk))
    return message, True


def _notify_later(conversation_id: int) -> None:
    """Members not looking at the conversation hear of it a few seconds later (realtime/notify.py).
    Never fails the send: the message is committed and delivered whatever happens here."""
    from neighbourly.realtime.notify import conversation_notify_schedule

    try:
        conversation_notify_schedule(conversation_id=conversation_id)
    except Exception:  # noqa: BLE001 - broker away: the message stands; only its notification is lost
        logger.warning("chat notification not scheduled for conversation %s", conversation_id, exc_info=True)


def _message_by_client_id(conversation_id: int, user: User, client_id: str) -> Message | None:
    return (
        Message.objects.filter(conversation_id=conversation_id, author=user, client_id=client_id)
        .select_related("author__profile")
        .first()
    )


def conversation_mark_read(*, user: User, conversation_id: int, seq: int) -> int:
    """Move the member's read marker forward (never back); other tabs of the user hear of it."""
    conversation = conversation_get_for_member(user=user, conversation_id=conversation_id)
    seq = max(0, min(int(seq), conversation.last_seq))
    updated = ConversationMember.objects.filter(
        conversation=conversation, user=user, last_read_seq__lt=seq
    ).update(last_read_seq=seq)
    if updated:
        send_event_on_commit(user_group(user.pk), {"type": "read", "conversation": conversation.pk, "seq": seq})
        if seq >= conversation.last_seq:  # read to the end: its notification is read too
            from neighbourly.notifications.services import notifications_mark_read_for
            from neighbourly.realtime.notify import conversation_target

            notifications_mark_read_for(user=user, target=conversation_target(conversation.pk))
    return seq
