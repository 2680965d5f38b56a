import pytest

from neighbourly.demo import DEMO_DOMAIN, demo_seed
from neighbourly.realtime.models import Conversation, ConversationMember, Message

pytestmark = pytest.mark.django_db


def test_demo_has_a_direct_conversation_between_resident_and_margaret():
    demo_seed()
    conversation = Conversation.objects.get(kind="direct")
    emails = sorted(conversation.members.values_list("user__email", flat=True))
    assert emails == [f"margaret@{DEMO_DOMAIN}", f"resident@{DEMO_DOMAIN}"]
    assert list(Message.objects.filter(conversation=conversation).values_list("seq", flat=True)) == [1, 2, 3, 4, 5]
    alex = ConversationMember.objects.get(conversation=conversation, user__email=f"resident@{DEMO_DOMAIN}")
    assert alex.last_read_seq == 4
