"""Chat's side of moderation (see neighbourly/moderation/targets.py; registered in apps.py).

A message keeps its seq (clients resync by seq, so rows never go away under them): hiding
replaces its text with a notice, and an overturned decision puts the original text back from the
moderation record.
"""

from neighbourly.core.errors import NotFound
from neighbourly.core.plugins import TargetInfo
from neighbourly.realtime.models import Message
from neighbourly.realtime.selectors import conversation_get_for_member

HIDDEN_TEXT = "[This message was hidden by the moderators.]"


class _MessageTarget:
    def resolve(self, *, viewer, target_id: int) -> int:
        if not 0 < target_id < 2**63:
            raise NotFound()
        message = Message.objects.filter(pk=target_id).only("id", "conversation_id").first()
        if message is None:
            raise NotFound()
        return conversation_get_for_member(user=viewer, conversation_id=message.conversation_id).community_id

    def describe(self, *, ids) -> dict[int, TargetInfo]:
        rows = Message.objects.filter(pk__in=ids).only("id", "author_id", "body", "conversation_id")
        return {
            m.id: TargetInfo(author_id=m.author_id, title="Chat message", text=m.body, url="",
                             hidden=m.body == HIDDEN_TEXT)
            for m in rows
        }

    def hide(self, *, target_id: int) -> None:
        Message.objects.filter(pk=target_id).update(body=HIDDEN_TEXT)

    def unhide(self, *, target_id: int, original: str = "") -> None:
        if original:
            Message.objects.filter(pk=target_id, body=HIDDEN_TEXT).update(body=original)


MESSAGE = _MessageTarget()
