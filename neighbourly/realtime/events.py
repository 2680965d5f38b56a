"""The only module that publishes to the channel layer.

Services decide who receives an event and call `send_event_on_commit(group, event)` with one
of the group-name helpers below; nothing leaves the process before the transaction commits.
`event["type"]` is the frame type clients see ("feed.new", "alert", "chat.message", …).
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def community_group(community_id: int) -> str:
    return f"community.{community_id}"


def conversation_group(conversation_id: int) -> str:
    return f"conversation.{conversation_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def send_event(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, event)


def send_event_on_commit(group: str, event: dict) -> None:
    transaction.on_commit(lambda: send_event(group, event))
