"""The synchronous helpers behind the socket: query budgets of what every page's socket runs."""

import pytest

from neighbourly.realtime import access
from neighbourly.realtime.services import chat_message_send
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.realtime.factories import room_with

pytestmark = pytest.mark.django_db


def test_subscribe_me_costs_two_queries_however_many_conversations(member, django_assert_num_queries):
    neighbour = MembershipFactory(community=member.community, verified=True)
    second = MembershipFactory(user=member.user, community=CommunityFactory(), verified=True)
    rooms = [room_with(member.community, member.user, neighbour.user, title=f"r{i}") for i in range(3)]
    chat_message_send(user=neighbour.user, conversation_id=rooms[1].id, body="hi", client_id="a")
    with django_assert_num_queries(2):  # communities, conversations with unread state
        state = access.subscribe_me(user=member.user, limit=100)
    assert state["communities"] == sorted(
        [(member.community_id, member.community.slug), (second.community_id, second.community.slug)]
    )
    assert state["inbox"] == {rooms[0].id: (0, 0), rooms[1].id: (1, 0), rooms[2].id: (0, 0)}
    rooms += [room_with(member.community, member.user, neighbour.user, title=f"more{i}") for i in range(20)]
    with django_assert_num_queries(2):
        state = access.subscribe_me(user=member.user, limit=100)
    assert len(state["inbox"]) == 23
    assert next(iter(state["inbox"])) == rooms[1].id  # most recent message first


def test_subscribe_me_keeps_the_most_recent_conversations_and_only_accessible_ones(member, other_member):
    neighbour = MembershipFactory(community=member.community, verified=True)
    rooms = [room_with(member.community, member.user, neighbour.user, title=f"r{i}") for i in range(3)]
    room_with(other_member.community, other_member.user, title="not mine")
    chat_message_send(user=neighbour.user, conversation_id=rooms[0].id, body="latest", client_id="b")
    assert list(access.subscribe_me(user=member.user, limit=2)["inbox"]) == [rooms[0].id, rooms[2].id]
