"""Stream "me": what every page of a resident follows (communities, the unread badge)."""

import pytest
from asgiref.sync import sync_to_async

from neighbourly.core.events import community_group, send_event
from neighbourly.realtime.services import (
    chat_message_send,
    conversation_direct_get_or_create,
    conversation_mark_read,
    conversation_member_remove,
)
from tests.communities.factories import MembershipFactory
from tests.realtime.conftest import receive_type, subscribe
from tests.realtime.factories import room_with

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def neighbour(member):
    return MembershipFactory(community=member.community, verified=True)


@pytest.fixture
def room(member, neighbour):
    return room_with(member.community, member.user, neighbour.user)


def send(user, conversation, body):
    return sync_to_async(chat_message_send)(user=user, conversation_id=conversation.id, body=body, client_id=body)


async def test_me_subscribes_the_residents_communities_and_reports_unread_conversations(
    member, neighbour, room, connect
):
    quiet = await sync_to_async(room_with)(member.community, member.user, neighbour.user, title="Quiet")
    await send(neighbour.user, room, "one")
    await send(neighbour.user, room, "two")
    await send(neighbour.user, quiet, "read it")
    await sync_to_async(conversation_mark_read)(user=member.user, conversation_id=quiet.id, seq=1)
    ws = await connect(member.user)
    assert await subscribe(ws, "me") == {
        "type": "subscribed", "stream": "me", "complete": True, "communities": [member.community.slug],
        "unread": [room.id], "seqs": {str(room.id): 2, str(quiet.id): 1},
    }
    await sync_to_async(send_event)(community_group(member.community_id), {"type": "feed.new", "post_id": 7})
    assert await ws.receive_json_from() == {"type": "feed.new", "post_id": 7}
    await send(neighbour.user, quiet, "again")  # no explicit subscribe: followed for the badge
    got = await receive_type(ws, "chat.message")
    assert (got["conversation"], got["seq"], got["body"]) == (quiet.id, 2, "again")


async def test_me_of_an_unverified_member_follows_no_community(pending_member, connect):
    ws = await connect(pending_member.user)
    reply = await subscribe(ws, "me")
    assert (reply["communities"], reply["unread"], reply["seqs"]) == ([], [], {})
    await sync_to_async(send_event)(community_group(pending_member.community_id), {"type": "feed.new", "post_id": 1})
    assert await ws.receive_nothing(timeout=0.3)


async def test_a_conversation_started_while_connected_is_followed_and_reported(member, neighbour, connect):
    ws = await connect(member.user)
    await subscribe(ws, "me")
    conversation, created = await sync_to_async(conversation_direct_get_or_create)(
        user=neighbour.user, other_user_id=member.user_id
    )
    assert created is True
    assert await receive_type(ws, "inbox") == {
        "type": "inbox", "complete": False, "unread": [], "seqs": {str(conversation.id): 0}
    }
    await send(neighbour.user, conversation, "hello there")
    got = await receive_type(ws, "chat.message")
    assert (got["conversation"], got["body"], got["author"]["id"]) == (conversation.id, "hello there", neighbour.user_id)


async def test_a_socket_without_me_ignores_new_conversations(member, neighbour, connect):
    ws = await connect(member.user)
    conversation, _ = await sync_to_async(conversation_direct_get_or_create)(
        user=neighbour.user, other_user_id=member.user_id
    )
    await send(neighbour.user, conversation, "hello")
    # The member's own notification ("Ana sent you a message") reaches every socket of theirs; the
    # conversation itself (inbox frame, messages) only sockets that follow `me`.
    frames = []
    while not await ws.receive_nothing(timeout=0.3):
        frames.append((await ws.receive_json_from())["type"])
    assert set(frames) <= {"notification"}, frames


async def test_removed_member_stops_receiving_a_followed_conversation(member, neighbour, room, connect):
    ws = await connect(member.user)
    await subscribe(ws, "me")
    await sync_to_async(conversation_member_remove)(conversation=room, user=member.user)
    await send(neighbour.user, room, "after you left")
    assert await ws.receive_nothing(timeout=0.3)


async def test_explicit_subscribe_of_a_followed_conversation_gets_presence_and_seq(member, neighbour, room, connect):
    await send(neighbour.user, room, "hi")
    ws = await connect(member.user)
    await subscribe(ws, "me")
    reply = await subscribe(ws, f"conversation:{room.id}")
    assert (reply["type"], reply["last_seq"], reply["online"]) == ("subscribed", 1, [member.user_id])
    await send(neighbour.user, room, "once")
    got = await receive_type(ws, "chat.message")
    assert got["body"] == "once"
    later = []
    while not await ws.receive_nothing(timeout=0.3):
        later.append((await ws.receive_json_from())["type"])
    assert "chat.message" not in later  # one group, one copy


async def test_losing_verification_drops_the_followed_community_and_conversations_at_the_heartbeat(
    member, neighbour, room, connect, monkeypatch
):
    from neighbourly.communities.models import MembershipStatus
    from neighbourly.realtime import consumers

    monkeypatch.setattr(consumers, "HEARTBEAT_S", 0)
    ws = await connect(member.user)
    await subscribe(ws, "me")
    await sync_to_async(type(member).objects.filter(pk=member.pk).update)(status=MembershipStatus.PENDING)
    await ws.send_json_to({"type": "ping"})
    revoked = await receive_type(ws, "error")
    assert (revoked["code"], revoked["stream"]) == ("access_revoked", f"community:{member.community.slug}")
    assert await receive_type(ws, "pong") == {"type": "pong", "seqs": {}}
    await sync_to_async(send_event)(community_group(member.community_id), {"type": "feed.new", "post_id": 2})
    await send(neighbour.user, room, "not for you any more")
    assert await ws.receive_nothing(timeout=0.3)
