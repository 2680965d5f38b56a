"""Under a real daphne (the in-process communicator checks neither close codes nor the server's
own rules): the close codes a client sees, and revocation on logout and suspension arriving
within a second, over HTTP requests as the browser or a moderator makes them."""

import asyncio
import json
import logging
import time

import pytest
import requests
import websockets
from django.test import Client

from neighbourly.accounts.services import api_token_create
from neighbourly.moderation.models import Case
from neighbourly.realtime import consumers
from tests.communities.factories import MembershipFactory
from tests.feed.factories import PostFactory
from tests.moderation.conftest import report
from tests.realtime.live_server import asgi_live_server  # noqa: F401 - fixture

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def login_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def ws_connect(server, session: str):
    return websockets.connect(
        server.url.replace("http", "ws") + "/ws/", origin=server.url,
        additional_headers={"Cookie": f"sessionid={session}"}, open_timeout=5, ping_interval=None,
    )


async def next_frame(ws, frame_type: str, timeout: float = 2.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), max(0.01, deadline - time.monotonic())))
        if frame["type"] == frame_type:
            return frame


async def closed_with(ws, timeout: float = 2.0) -> int:
    with pytest.raises(websockets.ConnectionClosed):
        async with asyncio.timeout(timeout):
            while True:
                await ws.recv()
    return ws.close_code


@pytest.fixture
def daphne_errors(caplog):
    caplog.set_level(logging.ERROR)
    return lambda: [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_oversized_frame_closes_with_4009_and_no_traceback(asgi_live_server, member, daphne_errors):  # noqa: F811
    session = await asyncio.to_thread(login_cookie, member.user)
    async with ws_connect(asgi_live_server, session) as ws:
        await ws.send("x" * (consumers.MAX_FRAME_BYTES + 1))
        assert await closed_with(ws) == consumers.CLOSE_TOO_BIG == 4009
    assert daphne_errors() == []


async def test_flood_closes_with_4029_and_no_traceback(asgi_live_server, member, daphne_errors, monkeypatch):  # noqa: F811
    monkeypatch.setattr(consumers, "FLOOD_CLOSE_AFTER", 3)
    monkeypatch.setattr(consumers, "FRAME_BURST", 1)
    session = await asyncio.to_thread(login_cookie, member.user)
    async with ws_connect(asgi_live_server, session) as ws:
        for _ in range(8):
            await ws.send('{"type":"ping"}')
        assert await closed_with(ws) == consumers.CLOSE_FLOOD == 4029
    assert daphne_errors() == []


def _logout(server, session: str) -> None:
    http = requests.Session()
    http.cookies.set("sessionid", session)
    token = http.get(f"{server.url}/api/v1/auth/csrf", timeout=5).json()["csrf_token"]
    response = http.post(f"{server.url}/api/v1/auth/logout", timeout=5,
                         headers={"X-CSRFToken": token, "Referer": server.url + "/", "Origin": server.url})
    assert response.status_code == 204, response.text


async def test_logout_closes_that_sessions_sockets_within_a_second(asgi_live_server, member):  # noqa: F811
    leaving = await asyncio.to_thread(login_cookie, member.user)
    staying = await asyncio.to_thread(login_cookie, member.user)  # the same member on another device
    stream = f"community:{member.community.slug}"
    async with ws_connect(asgi_live_server, leaving) as ws, ws_connect(asgi_live_server, staying) as other:
        for socket in (ws, other):
            await socket.send(json.dumps({"type": "subscribe", "stream": stream}))
            await next_frame(socket, "subscribed")
        await asyncio.to_thread(_logout, asgi_live_server, leaving)
        assert await closed_with(ws, timeout=1.0) == consumers.CLOSE_UNAUTHENTICATED  # within a second
        await other.send('{"type":"ping"}')
        assert (await next_frame(other, "pong"))["type"] == "pong"  # the other device stays


def _suspend_by_moderator(server, case_id: int, moderator) -> None:
    _, raw = api_token_create(user=moderator.user, name="test")
    response = requests.post(
        f"{server.url}/api/v1/moderation/reports/{case_id}/action", timeout=5,
        headers={"Authorization": f"Bearer {raw}"},
        json={"action": "suspend", "guideline": "keep-it-local", "reason": "Adverts", "suspend_days": 7},
    )
    assert response.status_code == 201, response.text


def _reported_post(author):
    post = PostFactory(community=author.community, author=author.user, author_membership=author, title="Watches")
    report(MembershipFactory(community=author.community, verified=True), post)
    return Case.objects.get(target_type="post", target_id=post.pk).pk


async def test_suspended_member_stops_receiving_the_feed_within_a_second(asgi_live_server, member, moderator):  # noqa: F811
    case_id = await asyncio.to_thread(_reported_post, member)
    session = await asyncio.to_thread(login_cookie, member.user)
    stream = f"community:{member.community.slug}"
    async with ws_connect(asgi_live_server, session) as ws:
        await ws.send(json.dumps({"type": "subscribe", "stream": stream}))
        await next_frame(ws, "subscribed")
        await asyncio.to_thread(_suspend_by_moderator, asgi_live_server, case_id, moderator)
        revoked = await next_frame(ws, "error", timeout=1.0)
        assert (revoked["code"], revoked["stream"]) == ("access_revoked", stream)


def _post_over_http(server, author) -> None:
    _, raw = api_token_create(user=author.user, name="test")
    response = requests.post(
        f"{server.url}/api/v1/communities/{author.community.slug}/posts", timeout=5,
        headers={"Authorization": f"Bearer {raw}"}, json={"kind": "general", "title": "Street party", "body": "Saturday"},
    )
    assert response.status_code == 201, response.text


async def test_under_daphne_a_group_event_is_encoded_once_and_written_to_every_socket(asgi_live_server, member,  # noqa: F811
                                                                                       monkeypatch):
    """The fan-out fast path (consumers.write_prepared) must engage under a real daphne: an upgrade of
    daphne or autobahn that quietly disabled it would cost one frame encoding per socket."""
    neighbour = await asyncio.to_thread(MembershipFactory, community=member.community, verified=True)
    sessions = [await asyncio.to_thread(login_cookie, m.user) for m in (member, neighbour)]
    writes, slow = [], []
    original_prepared, original_slow = consumers.ClientConsumer.write_prepared, consumers.ClientConsumer.hub_deliver

    def write_prepared(self, frame, cache):
        writes.append((frame, cache))
        return original_prepared(self, frame, cache)

    async def hub_deliver(self, group, event, frame):
        slow.append(event.get("type"))
        return await original_slow(self, group, event, frame)

    monkeypatch.setattr(consumers.ClientConsumer, "write_prepared", write_prepared)
    monkeypatch.setattr(consumers.ClientConsumer, "hub_deliver", hub_deliver)
    stream = f"community:{member.community.slug}"
    async with ws_connect(asgi_live_server, sessions[0]) as first, ws_connect(asgi_live_server, sessions[1]) as second:
        for ws in (first, second):
            await ws.send(json.dumps({"type": "subscribe", "stream": stream}))
            await next_frame(ws, "subscribed")
        await asyncio.to_thread(_post_over_http, asgi_live_server, neighbour)
        for ws in (first, second):
            assert (await next_frame(ws, "feed.new", timeout=3.0))["community"] == member.community.slug
    feed_writes = [(frame, cache) for frame, cache in writes if '"feed.new"' in frame]
    assert len(feed_writes) == 2 and "feed.new" not in slow, (len(writes), slow)
    (frame, cache), (same_frame, same_cache) = feed_writes
    assert frame == same_frame and cache is same_cache and len(cache) == 1  # one encoding, two writes
