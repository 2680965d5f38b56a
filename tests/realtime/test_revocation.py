"""Revocation reaches open sockets at once (not at the next heartbeat): suspension, unverification
and a role taken away make the user's sockets re-check; logout closes that session's sockets only;
account deletion closes them all. (The same under a real daphne: test_live.py.)"""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from neighbourly.accounts.privacy import user_delete
from neighbourly.communities import services as communities
from neighbourly.communities.models import Role
from neighbourly.core.events import community_group, user_group
from neighbourly.feed.services.posts import post_create
from neighbourly.realtime import consumers
from tests.communities.factories import MembershipFactory
from tests.realtime.conftest import receive_type, subscribe
from tests.realtime.factories import room_with

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_heartbeat(monkeypatch):
    """The heartbeat would find the change too, after up to 20 s: keep it out of these tests."""
    monkeypatch.setattr(consumers, "HEARTBEAT_S", 3600)


@pytest.fixture
def neighbour(member):
    return MembershipFactory(community=member.community, verified=True)


async def test_suspended_member_stops_receiving_chat_and_feed_at_once(member, neighbour, connect):
    room = await sync_to_async(room_with)(member.community, member.user, neighbour.user)
    ws = await connect(member.user)
    feed, chat = f"community:{member.community.slug}", f"conversation:{room.id}"
    await subscribe(ws, feed)
    await subscribe(ws, chat)
    await sync_to_async(communities.membership_suspend)(membership=member, until=timezone.now() + timedelta(days=2))
    revoked = {(await receive_type(ws, "error", timeout=1))["stream"] for _ in range(2)}
    assert revoked == {feed, chat}
    await sync_to_async(post_create)(author=neighbour.user, community=member.community, kind="general",
                                     title="Lost cat", body="Ginger, answers to Biscuit")
    assert await ws.receive_nothing(timeout=0.3)


async def test_unverified_member_loses_the_feed_at_once(member, connect):
    ws = await connect(member.user)
    stream = f"community:{member.community.slug}"
    await subscribe(ws, stream)
    await sync_to_async(communities.membership_unverify)(membership=member)
    revoked = await receive_type(ws, "error", timeout=1)
    assert (revoked["code"], revoked["stream"]) == ("access_revoked", stream)


async def test_role_taken_away_makes_the_sockets_recheck(moderator, connect, monkeypatch):
    checks = []
    original = consumers.ClientConsumer.revalidate

    async def counting(self, frame_type="pong"):
        checks.append(frame_type)
        return await original(self, frame_type)

    monkeypatch.setattr(consumers.ClientConsumer, "revalidate", counting)
    ws = await connect(moderator.user)
    await subscribe(ws, f"community:{moderator.community.slug}")
    await sync_to_async(communities.membership_grant_role)(user=moderator.user, community=moderator.community,
                                                           role=Role.RESIDENT)
    assert await ws.receive_nothing(timeout=0.3)  # still a verified resident: keeps the feed
    assert checks == [None]


async def _open(cookie: str) -> WebsocketCommunicator:
    from neighbourly.asgi import application

    communicator = WebsocketCommunicator(
        application, "/ws/",
        headers=[(b"host", b"localhost"), (b"origin", b"http://localhost"), (b"cookie", f"sessionid={cookie}".encode())],
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def test_logout_closes_that_sessions_sockets_only(member, hub):
    phone, laptop = await sync_to_async(_session)(member.user), await sync_to_async(_session)(member.user)
    on_phone = await _open(phone.cookies["sessionid"].value)
    on_laptop = await _open(laptop.cookies["sessionid"].value)
    await subscribe(on_laptop, f"community:{member.community.slug}")
    await sync_to_async(phone.logout)()
    assert await on_phone.receive_output(timeout=1) == {"type": "websocket.close", "code": 4401}
    await on_laptop.send_json_to({"type": "ping"})
    assert (await receive_type(on_laptop, "pong"))["type"] == "pong"
    await on_laptop.disconnect()


async def test_deleted_account_closes_every_socket(member, hub):
    phone, laptop = await sync_to_async(_session)(member.user), await sync_to_async(_session)(member.user)
    sockets = [await _open(phone.cookies["sessionid"].value), await _open(laptop.cookies["sessionid"].value)]
    await sync_to_async(user_delete)(user=member.user, keep_content=False)
    for socket in sockets:
        assert await socket.receive_output(timeout=1) == {"type": "websocket.close", "code": 4401}


async def test_revocation_events_never_reach_the_client_as_frames(member, connect):
    from neighbourly.core.events import send_event_async

    ws = await connect(member.user)
    await send_event_async(user_group(member.user_id), {"type": "access.recheck"})
    await send_event_async(community_group(member.community_id), {"type": "access.recheck"})
    assert await ws.receive_nothing(timeout=0.3)


async def test_logout_lost_while_the_layer_was_away_closes_the_socket_when_it_is_back(member, hub):
    from importlib import import_module

    from django.conf import settings

    from neighbourly.realtime.hub import get_hub

    phone = await sync_to_async(_session)(member.user)
    key = phone.cookies["sessionid"].value
    socket = await _open(key)
    # The session ends without its event reaching us (Redis away at that moment) ...
    await sync_to_async(import_module(settings.SESSION_ENGINE).SessionStore(key).delete)()
    assert await socket.receive_nothing(timeout=0.2)
    await get_hub().recover()  # ... the hub's recovery after the outage finds it
    assert await socket.receive_output(timeout=1) == {"type": "websocket.close", "code": 4401}
