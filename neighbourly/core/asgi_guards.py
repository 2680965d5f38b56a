"""ASGI layers in front of Django and the WebSocket routes (see neighbourly/asgi.py).

- ``ProxyHeaders``: the client address and scheme from the PROXY_COUNT proxies we trust;
- ``BodySizeLimit``: an HTTP body over NEIGHBOURLY_MAX_REQUEST_BYTES is refused with 413 before the
  application reads it (by its Content-Length, or while it streams in);
- ``SameOriginWebSocket``: a socket opens only from a page of this very origin (scheme, host and
  port) or one listed in CSRF_TRUSTED_ORIGINS / SITE_URL.
"""

import json
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def _header(scope, name: bytes) -> str | None:
    values = [v for k, v in scope.get("headers", []) if k.lower() == name]
    return b",".join(values).decode("latin-1") if values else None


class ProxyHeaders:
    """Trust X-Forwarded-For / X-Forwarded-Proto only as far as PROXY_COUNT proxies wrote them.

    Each proxy appends the address it saw to X-Forwarded-For, so with N proxies in front the
    client is the N-th entry from the right; anything further left was sent by the client and is
    ignored (daphne's own --proxy-headers takes the left-most entry, which anyone can forge).
    With fewer entries than proxies the header did not come through them: the peer address stays.
    """

    def __init__(self, app, proxy_count: int | None = None):
        self.app = app
        self.proxy_count = settings.PROXY_COUNT if proxy_count is None else proxy_count

    async def __call__(self, scope, receive, send):
        if self.proxy_count and scope["type"] in ("http", "websocket"):
            scope = dict(scope)
            forwarded = [part.strip() for part in (_header(scope, b"x-forwarded-for") or "").split(",")]
            forwarded = [part for part in forwarded if part]
            if len(forwarded) >= self.proxy_count:
                scope["client"] = (forwarded[-self.proxy_count], 0)
            proto = (_header(scope, b"x-forwarded-proto") or "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                secure = proto == "https"
                scope["scheme"] = ("https" if secure else "http") if scope["type"] == "http" else (
                    "wss" if secure else "ws")
        return await self.app(scope, receive, send)


TOO_LARGE = "The request is too large."


async def send_413(scope, send) -> None:
    if scope["path"].startswith("/api/"):
        body, content_type = json.dumps({"detail": TOO_LARGE}).encode(), b"application/json"
    else:
        body, content_type = TOO_LARGE.encode(), b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    """413 for an HTTP body over the cap, before the application reads it.

    A Content-Length over the cap is answered at once. A body without one (chunked) is counted as
    it streams: past the cap the application is told the client went away (Django then stops
    reading and answers nothing) and this layer sends the 413. Servers that buffer the whole body
    before calling the application need their own limit too (see neighbourly/core/daphne_limits.py).
    """

    def __init__(self, app, max_bytes: int | None = None):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.max_bytes or settings.NEIGHBOURLY_MAX_REQUEST_BYTES
        try:
            length = int(_header(scope, b"content-length") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return await send_413(scope, send)

        received, exceeded, started = 0, False, False

        async def limited_receive():
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, tracking_send)
        if exceeded and not started:
            await send_413(scope, send)


def _origin_tuple(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme]


class SameOriginWebSocket:
    """Open a WebSocket only for a page of the same origin: scheme, host and port all equal.

    The socket's own origin is its scheme (wss is https) and Host header, and the host must be in
    ALLOWED_HOSTS; SITE_URL and CSRF_TRUSTED_ORIGINS name further accepted origins (a proxy that
    rewrites Host). A missing or "null" Origin is refused: browsers always send one.
    """

    def __init__(self, app):
        self.app = app

    def allowed(self, scope) -> bool:
        origin = _origin_tuple(_header(scope, b"origin") or "")
        if origin is None:
            return False
        accepted = {_origin_tuple(url) for url in [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS]}
        if origin in accepted:
            return True
        host = _header(scope, b"host")
        if not host:
            return False
        domain, _ = split_domain_port(host)
        if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
            return False
        scheme = "https" if scope.get("scheme") in ("wss", "https") else "http"
        return origin == _origin_tuple(f"{scheme}://{host}")

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not self.allowed(scope):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.app(scope, receive, send)
