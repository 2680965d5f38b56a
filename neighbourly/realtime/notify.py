"""Chat messages to members who are not looking: one notification per conversation that counts up
("3 new messages from Ana"), e-mailed at most once per window while unread (notifications app).

"Not looking" is decided a few seconds after the send, by a task:
- no socket of the member is subscribed to the conversation: the presence entry that every
  subscribed socket refreshes (presence.py, in the shared cache, so it holds across daphne
  processes), and
- the member has not read up to the last message (ConversationMember.last_read_seq): an open
  conversation marks itself read within a second of a message arriving, so the delay lets that
  happen before anyone is told. (Under eager Celery, the embedded mode, there is no delay and
  presence alone decides.)
Sends are debounced per conversation through the cache: a burst of messages queues one task.
Rooms larger than ROOM_NOTIFY_MAX_MEMBERS are not notified per message: their unread counts show
on the Messages page.
"""

import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse

from neighbourly.communities.models import Membership, MembershipStatus
from neighbourly.notifications.models import Kind
from neighbourly.notifications.services import notification_send
from neighbourly.realtime.models import Conversation, ConversationKind, ConversationMember, Message
from neighbourly.realtime.presence import presence_online

logger = logging.getLogger(__name__)

NOTIFY_DELAY_S = getattr(settings, "NEIGHBOURLY_MESSAGE_NOTIFY_DELAY_S", 4)
ROOM_NOTIFY_MAX_MEMBERS = 50
SNIPPET = 200


def conversation_target(conversation_id: int) -> str:
    return f"conversation:{conversation_id}"


def _pending_key(conversation_id: int) -> str:
    return f"chat-notify-pending:{conversation_id}"


def conversation_notify_schedule(*, conversation_id: int) -> None:
    """After a send commits: queue the check unless one is already waiting for this conversation.
    With a real broker the cache and the publish happen on a background thread: a send never waits
    on Redis (while it restarts, a publish can block for seconds); eager Celery runs it in place."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        _schedule(conversation_id)
    else:
        _publisher.submit(_schedule, conversation_id)


_publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chat-notify")


def _schedule(conversation_id: int) -> None:
    from neighbourly.realtime.tasks import conversation_notify_task

    try:
        first = cache.add(_pending_key(conversation_id), 1, timeout=NOTIFY_DELAY_S + 60)
    except Exception:  # noqa: BLE001 - cache away: no debounce, still notify
        logger.warning("chat notify debounce skipped: cache unavailable", exc_info=True)
        first = True
    if not first:
        return
    try:
        conversation_notify_task.apply_async((conversation_id,), countdown=NOTIFY_DELAY_S, retry=False)
    except Exception:  # noqa: BLE001 - broker away: the message stands; only this notification is lost
        logger.warning("chat notification not scheduled for conversation %s", conversation_id, exc_info=True)


def _title(*, conversation: Conversation, name: str, unread: int) -> str:
    if conversation.kind == ConversationKind.DIRECT:
        return f"{name} sent you a message" if unread == 1 else f"{unread} new messages from {name}"
    room = conversation.title or "a group chat"
    return f"{name} wrote in {room}" if unread == 1 else f"{unread} new messages in {room}"


def _still_residents(conversation: Conversation, user_ids: list[int]) -> set[int]:
    """Who of `user_ids` may still read the conversation: verified residents of its community or of
    one nearby (the rule of realtime.selectors), in one query. Left, unverified, suspended: no."""
    verified = Membership.objects.filter(user_id__in=user_ids, status=MembershipStatus.VERIFIED)
    return set(
        verified.filter(Q(community_id=conversation.community_id) | Q(community__nearby=conversation.community_id))
        .values_list("user_id", flat=True)
    )


def conversation_notify(*, conversation_id: int) -> int:
    """Tell each member who is not looking and has unread messages; returns how many were told."""
    try:
        cache.delete(_pending_key(conversation_id))  # from here on a new message queues a new check
    except Exception:  # noqa: BLE001
        logger.warning("chat notify debounce reset failed", exc_info=True)
    conversation = (
        Conversation.objects.filter(pk=conversation_id)
        .annotate(active=Count("members", filter=Q(members__removed_at__isnull=True)))
        .first()
    )
    if conversation is None or conversation.last_seq == 0:
        return 0
    if conversation.kind == ConversationKind.ROOM and conversation.active > ROOM_NOTIFY_MAX_MEMBERS:
        return 0
    behind = list(
        ConversationMember.objects.filter(conversation=conversation, removed_at__isnull=True,
                                          last_read_seq__lt=conversation.last_seq, user__is_active=True)
        .select_related("user")
    )
    if not behind:
        return 0
    looking = set(presence_online(stream=f"conversation:{conversation.pk}"))
    last = Message.objects.filter(conversation=conversation).select_related("author__profile").order_by("-seq").first()
    author = last.author if last else None
    name = author.profile.display_name if author is not None and hasattr(author, "profile") else "A neighbour"
    url = reverse("realtime:room", kwargs={"conversation_id": conversation.pk})
    told = 0
    allowed = _still_residents(conversation, [m.user_id for m in behind])
    for member in behind:
        if member.user_id in looking or member.user_id not in allowed:
            continue
        if author is not None and author.pk == member.user_id:
            continue
        unread = conversation.last_seq - member.last_read_seq
        body = last.body if conversation.kind == ConversationKind.DIRECT else f"{name}: {last.body}"
        sent = notification_send(
            recipient=member.user, kind=Kind.MESSAGE, title=_title(conversation=conversation, name=name, unread=unread),
            body=body[:SNIPPET], url=url, actor=author, target=conversation_target(conversation.pk),
        )
        told += sent is not None
    return told
