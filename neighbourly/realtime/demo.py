"""Demo chat: a direct conversation with some history between "resident" (Alex) and "margaret"."""

from neighbourly.realtime.services import (
    chat_message_send,
    conversation_direct_get_or_create,
    conversation_mark_read,
)

HISTORY = [
    ("margaret", "Hello Alex, it's Margaret from Willow Lane. Is the hedge trimmer still going spare?"),
    ("resident", "Hi Margaret! Yes it is. I can drop it round on Saturday morning if that suits."),
    ("margaret", "That would be lovely. I'll put the kettle on."),
    ("resident", "Perfect. Around ten?"),
    ("margaret", "Ten is grand. Thank you, dear."),
]


def seed_demo(context) -> None:
    alex, margaret = context.users["resident"], context.users["margaret"]
    conversation, _ = conversation_direct_get_or_create(user=alex, other_user_id=margaret.pk)
    for index, (who, body) in enumerate(HISTORY, start=1):
        chat_message_send(user=context.users[who], conversation_id=conversation.pk, body=body, client_id=f"demo-{index}")
    # Alex has read all but Margaret's last message, so the demo shows an unread badge.
    conversation_mark_read(user=alex, conversation_id=conversation.pk, seq=len(HISTORY) - 1)
