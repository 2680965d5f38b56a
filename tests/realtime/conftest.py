import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.layers import InMemoryChannelLayer, channel_layers, get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connection

from neighbourly.realtime.hub import hub_close
from neighbourly.routing import websocket_urlpatterns

# The consumer behind the URL router only: the origin and session layers are tested on their own
# (test_security.py) against neighbourly.asgi.application.
websocket_application = URLRouter(websocket_urlpatterns)


def _close_thread_connection():
    connection.close()


@pytest_asyncio.fixture
async def hub():
    """Each test runs on its own event loop with its own hub; stop that hub afterwards.

    In the embedded mode the test also gets its own in-memory layer, put back afterwards. Flushing
    the shared one instead would wipe the group subscriptions of the session's live server hub
    (tests/realtime/live_server.py, used by the browser tests), which then never hears another event.
    """
    saved = channel_layers.backends
    isolated = isinstance(get_channel_layer(), InMemoryChannelLayer)
    if isolated:
        channel_layers.backends = {}  # the next get_channel_layer() builds a fresh one from settings
    yield
    await sync_to_async(_close_thread_connection)()  # the worker thread's one (PostgreSQL teardown)
    await hub_close()
    if isolated:
        channel_layers.backends = saved
    elif hasattr(layer := get_channel_layer(), "flush"):
        await layer.flush()  # Redis pub/sub: one layer per event loop, so only this test's is flushed


@pytest_asyncio.fixture
async def connect(hub):
    communicators = []

    async def make(user, path="/ws/"):
        communicator = WebsocketCommunicator(websocket_application, path)
        communicator.scope["user"] = user
        connected, _ = await communicator.connect()
        assert connected is True
        communicators.append(communicator)
        return communicator

    yield make
    for communicator in communicators:
        try:
            await communicator.disconnect()
        except Exception:  # noqa: BLE001 - already closed by the server in refusal tests
            pass


async def subscribe(communicator, stream):
    await communicator.send_json_to({"type": "subscribe", "stream": stream})
    return await communicator.receive_json_from()


async def receive_type(communicator, frame_type, timeout=2):
    """The next frame of `frame_type`, skipping presence/typing chatter."""
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == frame_type:
            return frame
        if frame["type"] not in ("presence", "typing"):
            raise AssertionError(f"expected {frame_type}, got {frame}")
