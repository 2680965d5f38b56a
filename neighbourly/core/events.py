"""The only module that publishes to the channel layer (realtime's sockets deliver what it sends).

It lives in core so that any app can publish without depending on the realtime app above it.

Services decide who receives an event and call `send_event_on_commit(group, event)` with one
of the group-name helpers below; nothing leaves the process before the transaction commits.
`event["type"]` is the frame type clients see ("feed.new", "alert", "chat.message", …).

On the layer each event travels once per group as `{"type": "hub.event", "group": …, "event": …}`:
every process has one hub (see hub.py) subscribed to the groups its sockets need, which serialises
the frame once and writes it to its local sockets. So a room costs one layer message per process,
not one per member. If the layer is down the event is dropped with a log line: the data is already
committed and clients recover it by sequence number (`resync`).
"""

import hashlib
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

HUB_EVENT = "hub.event"

# Server-side events on a user's group (types starting "access." never reach the client as such):
ACCESS_REVOKED = "access.revoked"  # {"stream": …}: drop that one subscription
ACCESS_RECHECK = "access.recheck"  # re-check every subscription now (suspended, unverified, role changed)
SESSION_ENDED = "access.session_ended"  # {"session": tag or None}: close that session's sockets (None: all)


def session_tag(session_key: str | None) -> str:
    """What travels on the layer instead of a session key (which would let a reader log in)."""
    return hashlib.sha256((session_key or "").encode()).hexdigest()[:32]


def community_group(community_id: int) -> str:
    return f"community.{community_id}"


def conversation_group(conversation_id: int) -> str:
    return f"conversation.{conversation_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def _envelope(group: str, event: dict) -> dict:
    return {"type": HUB_EVENT, "group": group, "event": event}


async def send_event_async(group: str, event: dict) -> None:
    """From async code (consumers: typing, presence). Never raises on a layer failure."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await layer.group_send(group, _envelope(group, event))
    except Exception:
        logger.warning("channel layer send to %s failed", group, exc_info=True)


def send_event(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, _envelope(group, event))
    except Exception:
        logger.warning("channel layer send to %s failed", group, exc_info=True)


def send_event_on_commit(group: str, event: dict) -> None:
    transaction.on_commit(lambda: send_event(group, event))


def sockets_recheck(*, user_id: int) -> None:
    """The user may have lost access (suspended, unverified, role taken away): after commit, each
    of their sockets re-checks its subscriptions at once and drops what it may no longer hold."""
    send_event_on_commit(user_group(user_id), {"type": ACCESS_RECHECK})
