"""The ASGI layers: proxy headers trusted only from PROXY_COUNT proxies, the body cap before the
application reads, and the WebSocket origin compared by scheme, host and port."""

import json

from channels.testing import HttpCommunicator, WebsocketCommunicator
import pytest

from neighbourly.core.asgi_guards import BodySizeLimit, ProxyHeaders

pytestmark = pytest.mark.asyncio


def capture_app(seen: list):
    async def app(scope, receive, send):
        seen.append(scope)
        body = b""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(len(body)).encode()})

    return app


@pytest.mark.parametrize(
    ("proxy_count", "forwarded", "client"),
    [
        (0, b"6.6.6.6", "10.0.0.2"),  # no proxies configured: the header is ignored
        (1, b"6.6.6.6, 203.0.113.7", "203.0.113.7"),  # one proxy: its entry, not the forged left-most
        (2, b"6.6.6.6, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (2, b"203.0.113.7", "10.0.0.2"),  # fewer entries than proxies: not through them, peer stays
    ],
)
async def test_client_address_comes_from_the_configured_proxies_only(proxy_count, forwarded, client):
    seen = []
    app = ProxyHeaders(capture_app(seen), proxy_count=proxy_count)
    communicator = HttpCommunicator(app, "GET", "/", headers=[(b"x-forwarded-for", forwarded),
                                                                (b"x-forwarded-proto", b"https")])
    communicator.scope["client"] = ("10.0.0.2", 5555)
    await communicator.get_response()
    assert seen[0]["client"][0] == client
    assert seen[0].get("scheme", "http") == ("https" if proxy_count else "http")


async def test_content_length_over_the_cap_is_413_without_calling_the_app():
    seen = []
    communicator = HttpCommunicator(BodySizeLimit(capture_app(seen), max_bytes=1000), "POST", "/api/v1/x",
                                    body=b"", headers=[(b"content-length", b"60000000")])
    response = await communicator.get_response()
    assert (response["status"], json.loads(response["body"])) == (413, {"detail": "The request is too large."})
    assert seen == []


async def test_streamed_body_over_the_cap_is_413_before_the_app_answers():
    seen = []
    app = BodySizeLimit(capture_app(seen), max_bytes=1000)
    scope = {"type": "http", "method": "POST", "path": "/signup/", "headers": [], "query_string": b""}
    sent = []
    chunks = [{"type": "http.request", "body": b"x" * 600, "more_body": True}] * 3

    async def receive():
        return chunks.pop(0)

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    assert sent[0]["status"] == 413 and sent[1]["body"] == b"The request is too large."
    assert len(chunks) == 1  # it stopped reading once past the cap


def ws(origin: bytes | None, host: bytes = b"localhost:8000", scheme: str = "ws"):
    from neighbourly.asgi import application

    headers = [(b"host", host)] + ([(b"origin", origin)] if origin else [])
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    communicator.scope["scheme"] = scheme
    return communicator


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("origin", "host", "scheme", "passes"),
    [
        (b"http://localhost:8000", b"localhost:8000", "ws", True),
        (b"http://localhost:9999", b"localhost:8000", "ws", False),  # another port: another origin
        (b"https://localhost:8000", b"localhost:8000", "ws", False),  # another scheme
        (b"https://localhost", b"localhost", "wss", True),
        (b"http://localhost", b"localhost", "wss", False),
        (b"http://evil.example:8000", b"evil.example:8000", "ws", False),  # host not allowed
    ],
)
async def test_websocket_origin_must_match_scheme_host_and_port(origin, host, scheme, passes):
    connected, code = await ws(origin, host, scheme).connect()
    # Past the origin check the consumer refuses a missing session with 4401.
    assert connected is False and (code == 4401) is passes
