"""Every refusal on the socket: origin, session, access on subscribe and send, size and flood."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from neighbourly.communities.models import MembershipStatus
from neighbourly.core.events import conversation_group, send_event
from neighbourly.realtime import consumers, services
from neighbourly.realtime.models import Message
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


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def open_full_stack(headers):
    from neighbourly.asgi import application

    communicator = WebsocketCommunicator(application, "/ws/", headers=[(b"host", b"localhost"), *headers])
    connected, code = await communicator.connect()
    if connected:
        await communicator.disconnect()
    return connected, code


async def test_session_and_allowed_origin_connects(member, hub):
    cookie = await sync_to_async(session_cookie)(member.user)
    assert (await open_full_stack([(b"origin", b"http://localhost"), (b"cookie", cookie)]))[0] is True


@pytest.mark.parametrize(
    "origin", [b"http://evil.example", b"null", None], ids=["forged", "null", "missing"]
)
async def test_forged_null_or_missing_origin_is_refused(member, hub, origin):
    cookie = await sync_to_async(session_cookie)(member.user)
    headers = [(b"cookie", cookie)] + ([(b"origin", origin)] if origin else [])
    connected, _ = await open_full_stack(headers)
    assert connected is False


async def test_no_session_is_refused(db, hub):
    connected, code = await open_full_stack([(b"origin", b"http://localhost")])
    assert (connected, code) == (False, 4401)


async def test_other_community_subscription_is_refused(member, other_member, connect):
    ws = await connect(member.user)
    frame = await subscribe(ws, f"community:{other_member.community.slug}")
    assert frame == {"type": "error", "code": "not_found", "detail": "Not found.",
                     "stream": f"community:{other_member.community.slug}"}


async def test_pending_member_cannot_subscribe_to_own_community(pending_member, connect):
    ws = await connect(pending_member.user)
    assert (await subscribe(ws, f"community:{pending_member.community.slug}"))["code"] == "not_found"


async def test_non_member_cannot_subscribe_or_send(member, neighbour, connect):
    third = await sync_to_async(MembershipFactory)(community=member.community, verified=True)
    room = await sync_to_async(room_with)(member.community, member.user, neighbour.user)
    ws = await connect(third.user)
    assert (await subscribe(ws, f"conversation:{room.id}"))["code"] == "not_found"
    await ws.send_json_to({"type": "chat.send", "conversation": room.id, "body": "let me in", "client_id": "x"})
    assert (await ws.receive_json_from())["code"] == "not_found"
    await ws.send_json_to({"type": "resync", "conversation": room.id, "after_seq": 0})
    assert (await ws.receive_json_from())["code"] == "not_found"
    assert await sync_to_async(Message.objects.count)() == 0


async def test_member_of_other_community_in_a_room_loses_access_when_suspended(member, neighbour, room, connect):
    membership = neighbour
    membership.status = MembershipStatus.SUSPENDED
    await sync_to_async(membership.save)()
    ws = await connect(neighbour.user)
    assert (await subscribe(ws, f"conversation:{room.id}"))["code"] == "not_found"


async def test_removed_member_is_refused(member, neighbour, room, connect):
    await sync_to_async(services.conversation_member_remove)(conversation=room, user=neighbour.user)
    ws = await connect(neighbour.user)
    assert (await subscribe(ws, f"conversation:{room.id}"))["code"] == "not_found"
    await ws.send_json_to({"type": "chat.send", "conversation": room.id, "body": "hi", "client_id": "r"})
    assert (await ws.receive_json_from())["code"] == "not_found"


async def test_member_removed_while_connected_stops_receiving(member, neighbour, room, connect):
    ws = await connect(neighbour.user)
    await subscribe(ws, f"conversation:{room.id}")
    await sync_to_async(services.conversation_member_remove)(conversation=room, user=neighbour.user)
    revoked = await receive_type(ws, "error")
    assert revoked["code"] == "access_revoked" and revoked["stream"] == f"conversation:{room.id}"
    await sync_to_async(services.chat_message_send)(user=member.user, conversation_id=room.id, body="secret", client_id="s")
    assert await ws.receive_nothing(timeout=0.3)


async def test_suspended_while_connected_is_dropped_at_the_next_heartbeat(member, connect, monkeypatch):
    monkeypatch.setattr(consumers, "HEARTBEAT_S", 0)
    ws = await connect(member.user)
    stream = f"community:{member.community.slug}"
    await subscribe(ws, stream)
    member.status = MembershipStatus.SUSPENDED
    await sync_to_async(member.save)()
    await ws.send_json_to({"type": "ping"})
    revoked = await ws.receive_json_from()
    assert revoked["code"] == "access_revoked" and revoked["stream"] == stream
    assert await receive_type(ws, "pong") == {"type": "pong", "seqs": {}}


async def test_event_for_a_group_not_subscribed_never_reaches_the_socket(member, other_member, connect):
    ws = await connect(member.user)
    room = await sync_to_async(room_with)(other_member.community, other_member.user)
    await sync_to_async(send_event)(conversation_group(room.id), {"type": "chat.message", "body": "x"})
    assert await ws.receive_nothing(timeout=0.2)


async def test_oversized_frame_closes_with_4009(member, connect):
    ws = await connect(member.user)
    await ws.send_to(text_data="x" * (consumers.MAX_FRAME_BYTES + 1))
    assert await ws.receive_output() == {"type": "websocket.close", "code": 4009}


async def test_too_long_message_gets_an_error_frame(member, room, connect):
    ws = await connect(member.user)
    await ws.send_json_to({"type": "chat.send", "conversation": room.id, "body": "y" * 4001, "client_id": "l"})
    assert (await ws.receive_json_from())["code"] == "too_long"
    assert await sync_to_async(Message.objects.count)() == 0


async def test_frame_flood_gets_rate_limited_error_not_a_drop(member, connect):
    ws = await connect(member.user)
    for _ in range(consumers.FRAME_BURST + 5):
        await ws.send_json_to({"type": "ping"})
    frames = [await ws.receive_json_from() for _ in range(consumers.FRAME_BURST + 1)]
    assert [f["type"] for f in frames].count("pong") == consumers.FRAME_BURST
    assert frames[-1]["code"] == "rate_limited"


async def test_flood_that_goes_on_closes_with_4029(member, connect, monkeypatch):
    monkeypatch.setattr(consumers, "FLOOD_CLOSE_AFTER", 3)
    monkeypatch.setattr(consumers, "FRAME_BURST", 1)
    ws = await connect(member.user)
    for _ in range(8):
        await ws.send_json_to({"type": "ping"})
    outputs = []
    while True:
        output = await ws.receive_output(timeout=1)
        outputs.append(output)
        if output["type"] == "websocket.close":
            break
    assert outputs[-1] == {"type": "websocket.close", "code": 4029}


async def test_per_user_send_rate_is_limited(member, room, connect, monkeypatch):
    monkeypatch.setattr(services, "CHAT_RATE_MESSAGES", 3)
    ws = await connect(member.user)
    await subscribe(ws, f"conversation:{room.id}")
    for i in range(4):
        await ws.send_json_to({"type": "chat.send", "conversation": room.id, "body": f"m{i}", "client_id": f"m{i}"})
    for _ in range(3):
        await receive_type(ws, "chat.message")
    error = await receive_type(ws, "error")
    assert (error["code"], error["client_id"]) == ("rate_limited", "m3")
    assert await sync_to_async(Message.objects.count)() == 3
