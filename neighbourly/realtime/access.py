"""Synchronous helpers the consumer calls through database_sync_to_async: selectors, services and
the presence cache grouped so that one socket frame costs one trip to a worker thread."""

from dataclasses import dataclass

from neighbourly.accounts.models import Profile
from neighbourly.core.errors import ApplicationError
from neighbourly.realtime import presence, selectors, services


@dataclass
class Heartbeat:
    conversations: set[int]
    communities: set[int]
    seqs: dict[int, int]


def session_alive(*, session_key: str) -> bool:
    from importlib import import_module

    from django.conf import settings

    return import_module(settings.SESSION_ENGINE).SessionStore().exists(session_key)


def display_name(*, user) -> str:
    return Profile.objects.filter(user=user).values_list("display_name", flat=True).first() or ""


def heartbeat(*, user, conversation_ids, community_ids, inbox_ids=()) -> Heartbeat:
    """Re-check every subscription of a socket and refresh its presence (cache only). `inbox_ids`
    are conversations followed for the unread badge only (stream "me"): checked, no presence."""
    conversations, communities = selectors.streams_still_allowed(
        user=user, conversation_ids=set(conversation_ids) | set(inbox_ids), community_ids=community_ids
    )
    seqs = selectors.conversation_last_seqs(user=user, conversation_ids=conversations) if conversations else {}
    for conversation_id in conversations & set(conversation_ids):
        presence.presence_touch(stream=f"conversation:{conversation_id}", user_id=user.pk)
    for community_id in communities:
        presence.presence_touch(stream=f"community:{community_id}", user_id=user.pk)
    return Heartbeat(conversations=conversations, communities=communities, seqs=seqs)


def subscribe(*, user, stream) -> dict:
    kind, group, object_id = selectors.stream_resolve(user=user, stream=stream)
    online, was_new = presence.presence_touch(stream=f"{kind}:{object_id}", user_id=user.pk)
    result = {"kind": kind, "group": group, "id": object_id, "online": online, "was_new": was_new}
    if kind == "conversation":
        result["last_seq"] = selectors.conversation_last_seqs(user=user, conversation_ids=[object_id]).get(object_id, 0)
    return result


def subscribe_me(*, user, limit: int) -> dict:
    """Stream "me": the user's communities (with presence, as a community subscription) and their
    most recent conversations with unread state (no presence): two queries."""
    communities = selectors.community_streams_for_user(user=user)
    for community_id, _slug in communities:
        presence.presence_touch(stream=f"community:{community_id}", user_id=user.pk)
    return {"communities": communities, "inbox": selectors.conversation_inbox(user=user, limit=limit)}


def inbox_state(*, user, conversation_ids) -> dict[int, tuple[int, int]]:
    return selectors.conversation_inbox(user=user, conversation_ids=conversation_ids)


def unsubscribe_presence(*, user, kind: str, object_id: int) -> list[int]:
    return presence.presence_leave(stream=f"{kind}:{object_id}", user_id=user.pk)


def send(*, user, conversation_id, body, client_id):
    message, created = services.chat_message_send(
        user=user, conversation_id=conversation_id, body=body, client_id=client_id
    )
    return services.message_event(message), created


def resync(*, user, conversation_id, after_seq, limit: int) -> tuple[list[dict], int]:
    conversation = selectors.conversation_get_for_member(user=user, conversation_id=conversation_id)
    try:
        after_seq = max(0, int(after_seq))
    except (TypeError, ValueError):
        raise ApplicationError("after_seq must be a number.") from None
    messages = selectors.message_list(viewer=user, conversation=conversation, after_seq=after_seq, limit=limit)
    return [services.message_event(m) for m in messages], conversation.last_seq


def mark_read(*, user, conversation_id, seq) -> int:
    try:
        seq = int(seq)
    except (TypeError, ValueError):
        raise ApplicationError("seq must be a number.") from None
    return services.conversation_mark_read(user=user, conversation_id=conversation_id, seq=seq)
