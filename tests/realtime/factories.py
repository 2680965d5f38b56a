import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from neighbourly.realtime.models import Conversation, ConversationKind, ConversationMember
from tests.communities.factories import CommunityFactory


class ConversationFactory(DjangoModelFactory):
    class Meta:
        model = Conversation

    kind = ConversationKind.ROOM
    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"Room {n}")


class ConversationMemberFactory(DjangoModelFactory):
    class Meta:
        model = ConversationMember

    conversation = factory.SubFactory(ConversationFactory)
    user = factory.SubFactory("tests.accounts.factories.UserFactory")
    joined_at = factory.LazyFunction(timezone.now)


def room_with(community, *users, title="Allotment"):
    """A room in `community` holding `users` (built through the service, as other apps do)."""
    from neighbourly.realtime.services import conversation_create_room

    return conversation_create_room(community=community, title=title, members=list(users))
