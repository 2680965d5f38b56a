"""Personal data held by chat (see accounts/privacy.py): my messages and conversation memberships.

Erasure: with keep_content my messages stay in their conversations, anonymised (no author: shown as
"Former neighbour"); without it they are deleted. Sequence numbers of the others' messages do
not change (clients resync by seq; a gap is fine). My place in conversations goes either way.
"""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from neighbourly.realtime.models import ConversationMember, Message
from neighbourly.realtime.services import sockets_close_session


def export_user_data(*, user) -> dict:
    return {
        "messages": [
            {"conversation": m.conversation_id, "seq": m.seq, "body": m.body, "sent_at": m.sent_at.isoformat()}
            for m in Message.objects.filter(author=user).order_by("conversation_id", "seq")
        ],
        "conversations": list(
            ConversationMember.objects.filter(user=user).order_by("conversation_id").values_list(
                "conversation_id", flat=True)
        ),
    }


def erase_user_data(*, user, keep_content: bool) -> None:
    if keep_content:
        # client_id is the sender's own token; cleared so nothing ties the rows back to a device.
        Message.objects.filter(author=user).update(
            author=None, client_id=Concat(Value("anon-"), Cast("id", output_field=CharField()))
        )
    else:
        Message.objects.filter(author=user).delete()
    ConversationMember.objects.filter(user=user).delete()
    sockets_close_session(user_id=user.pk, session_key=None)  # every device's socket, after commit
