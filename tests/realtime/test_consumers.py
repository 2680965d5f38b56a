"""Every frame type of the socket protocol, through WebsocketCommunicator."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from neighbourly.core.events import community_group, send_event, user_group
from neighbourly.realtime import consumers
from neighbourly.realtime.models import Message
from neighbourly.realtime.services import chat_message_send
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


async def test_ping_pong(member, connect):
    ws = await connect(member.user)
    await ws.send_json_to({"type": "ping"})
    pong = await ws.receive_json_from()
    assert pong["type"] == "pong" and pong.get("seqs", {}) == {}


async def test_subscribe_to_own_community_and_receive_feed_new_and_alert(member, connect):
    ws = await connect(member.user)
    stream = f"community:{member.community.slug}"
    assert await subscribe(ws, stream) == {"type": "subscribed", "stream": stream, "online": 1}
    await sync_to_async(send_event)(community_group(member.community_id), {"type": "feed.new", "post_id": 7})
    assert await ws.receive_json_from() == {"type": "feed.new", "post_id": 7}
    await sync_to_async(send_event)(community_group(member.community_id), {"type": "alert", "post_id": 8, "title": "Fire"})
    assert await ws.receive_json_from() == {"type": "alert", "post_id": 8, "title": "Fire"}


async def test_notifications_arrive_on_the_user_group_without_subscribing(member, connect):
    ws = await connect(member.user)
    await sync_to_async(send_event)(user_group(member.user_id), {"type": "notification", "id": 3, "text": "Hi"})
    assert await ws.receive_json_from() == {"type": "notification", "id": 3, "text": "Hi"}


async def test_chat_send_is_stored_and_echoed_to_sender_and_delivered_to_member(member, neighbour, room, connect):
    mine, theirs = await connect(member.user), await connect(neighbour.user)
    stream = f"conversation:{room.id}"
    subscribed = await subscribe(mine, stream)
    assert subscribed["type"] == "subscribed" and subscribed["last_seq"] == 0
    assert (await subscribe(theirs, stream))["type"] == "subscribed"
    await mine.send_json_to({"type": "chat.send", "conversation": room.id, "body": "Spare ladder?", "client_id": "c1"})
    echo = await receive_type(mine, "chat.message")
    got = await receive_type(theirs, "chat.message")
    assert echo == got
    assert {k: got[k] for k in ("conversation", "seq", "body", "client_id")} == {
        "conversation": room.id, "seq": 1, "body": "Spare ladder?", "client_id": "c1"
    }
    assert got["author"]["id"] == member.user_id
    assert await sync_to_async(Message.objects.filter(conversation=room).count)() == 1


async def test_duplicate_client_id_stores_one_message_and_answers_with_it(member, room, connect):
    ws = await connect(member.user)
    await subscribe(ws, f"conversation:{room.id}")
    frame = {"type": "chat.send", "conversation": room.id, "body": "once", "client_id": "same"}
    await ws.send_json_to(frame)
    first = await receive_type(ws, "chat.message")
    await ws.send_json_to(frame)
    second = await receive_type(ws, "chat.message")
    assert first == second
    assert await sync_to_async(Message.objects.filter(conversation=room).count)() == 1


async def test_resync_returns_exactly_the_missed_messages(member, neighbour, room, connect):
    for i in range(1, 6):
        await sync_to_async(chat_message_send)(user=neighbour.user, conversation_id=room.id, body=f"m{i}", client_id=f"k{i}")
    ws = await connect(member.user)
    await ws.send_json_to({"type": "resync", "conversation": room.id, "after_seq": 2})
    got = [await ws.receive_json_from() for _ in range(3)]
    assert [m["seq"] for m in got] == [3, 4, 5]
    assert [m["body"] for m in got] == ["m3", "m4", "m5"]
    assert await ws.receive_json_from() == {
        "type": "resynced", "conversation": room.id, "upto": 5, "last_seq": 5, "complete": True
    }


async def test_typing_reaches_the_other_member(member, neighbour, room, connect):
    mine, theirs = await connect(member.user), await connect(neighbour.user)
    await subscribe(mine, f"conversation:{room.id}")
    await subscribe(theirs, f"conversation:{room.id}")
    await mine.send_json_to({"type": "typing", "conversation": room.id})
    typing = await receive_type(theirs, "typing")
    assert typing["user"]["id"] == member.user_id


async def test_presence_lists_who_is_online_in_a_conversation(member, neighbour, room, connect):
    mine = await connect(member.user)
    await subscribe(mine, f"conversation:{room.id}")
    theirs = await connect(neighbour.user)
    subscribed = await subscribe(theirs, f"conversation:{room.id}")
    assert subscribed["online"] == sorted([member.user_id, neighbour.user_id])
    assert subscribed["online_count"] == 2
    # Changes are coalesced: at most one presence event per conversation per second.
    presence = await receive_type(mine, "presence", timeout=3)
    if presence["count"] == 1:  # its own arrival, flushed before the neighbour came
        presence = await receive_type(mine, "presence", timeout=3)
    assert presence == {
        "type": "presence", "stream": f"conversation:{room.id}",
        "online": sorted([member.user_id, neighbour.user_id]), "count": 2,
    }
    await theirs.disconnect()
    left = await receive_type(mine, "presence", timeout=3)
    assert left == {"type": "presence", "stream": f"conversation:{room.id}", "online": [member.user_id], "count": 1}


async def test_read_moves_the_read_marker(member, neighbour, room, connect):
    await sync_to_async(chat_message_send)(user=neighbour.user, conversation_id=room.id, body="hello", client_id="a")
    ws = await connect(member.user)
    await ws.send_json_to({"type": "read", "conversation": room.id, "seq": 1})
    assert await receive_type(ws, "read") == {"type": "read", "conversation": room.id, "seq": 1}


async def test_heartbeat_ping_reports_latest_seqs_so_clients_find_gaps(member, neighbour, room, connect, monkeypatch):
    monkeypatch.setattr(consumers, "HEARTBEAT_S", 0)
    ws = await connect(member.user)
    await subscribe(ws, f"conversation:{room.id}")
    # Saved while the layer "lost" it: nothing published, only the seq moved.
    await sync_to_async(Message.objects.create)(conversation=room, seq=1, author=neighbour.user, body="x", client_id="z")
    await sync_to_async(type(room).objects.filter(pk=room.pk).update)(last_seq=1)
    await ws.send_json_to({"type": "ping"})
    assert await receive_type(ws, "pong") == {"type": "pong", "seqs": {str(room.id): 1}}


async def test_unknown_and_malformed_frames_get_an_error_not_a_close(member, connect):
    ws = await connect(member.user)
    await ws.send_to(text_data="not json")
    assert (await ws.receive_json_from())["code"] == "bad_frame"
    await ws.send_json_to({"type": "shout"})
    assert (await ws.receive_json_from())["code"] == "unknown_type"
    await ws.send_json_to({"type": "subscribe", "stream": "planet:mars"})
    assert (await ws.receive_json_from())["code"] == "invalid"
    await ws.send_json_to({"type": "ping"})
    assert (await ws.receive_json_from())["type"] == "pong"


async def test_unsubscribe_stops_delivery(member, connect):
    ws = await connect(member.user)
    stream = f"community:{member.community.slug}"
    await subscribe(ws, stream)
    await ws.send_json_to({"type": "unsubscribe", "stream": stream})
    assert await ws.receive_json_from() == {"type": "unsubscribed", "stream": stream}
    await sync_to_async(send_event)(community_group(member.community_id), {"type": "feed.new", "post_id": 1})
    assert await ws.receive_nothing(timeout=0.3)


async def test_one_layer_message_per_process_per_room(member, neighbour, room, connect):
    """The hub joins the group once, however many local sockets subscribe."""
    from channels.layers import get_channel_layer

    from neighbourly.realtime.hub import get_hub

    sockets = [await connect(member.user) for _ in range(3)] + [await connect(neighbour.user) for _ in range(2)]
    for ws in sockets:
        await subscribe(ws, f"conversation:{room.id}")
    layer = get_channel_layer()
    hub = get_hub()
    group = f"conversation.{room.id}"
    if hasattr(layer, "groups") and isinstance(layer.groups, dict) and group in layer.groups:
        assert list(layer.groups[group]) == [hub.channel]  # in-memory layer: one channel in the group
    assert len(hub.groups[group]) == 5
    await asyncio.sleep(0)


async def test_heartbeat_never_drops_a_subscription_made_while_it_checked(member, monkeypatch):
    """The server heartbeat runs beside frame handling: a subscribe that completes during its
    access check (an await) was not checked by it and must survive; a revoked one still goes."""
    from neighbourly.realtime import access

    consumer = consumers.ClientConsumer()
    consumer.user, consumer.conversations, consumer.communities = member.user, {1: "conversation.1"}, {}
    consumer.joined, consumer.inbox = {"conversation.1"}, {}
    left, sent = [], []

    class Hub:
        async def leave(self, group, socket):
            left.append(group)

    consumer.hub = Hub()

    async def send_json(content):
        sent.append(content)

    consumer.send_json = send_json

    def heartbeat(*, user, conversation_ids, community_ids, inbox_ids):
        assert conversation_ids == [1] and inbox_ids == []
        consumer.conversations[2] = "conversation.2"  # subscribed meanwhile
        return access.Heartbeat(conversations=set(), communities=set(), seqs={})

    monkeypatch.setattr(consumers.access, "heartbeat", heartbeat)
    await consumer.revalidate(frame_type=None)
    assert left == ["conversation.1"]
    assert consumer.conversations == {2: "conversation.2"}
    assert [f["stream"] for f in sent if f["type"] == "error"] == ["conversation:1"]
