"""ASGI entry point: HTTP to Django, WebSockets under /ws/ behind origin and session checks.

In front of both: the client address from trusted proxies only (PROXY_COUNT) and, for HTTP, the
request-size cap enforced before the body is read (see neighbourly/core/asgi_guards.py).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neighbourly.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from neighbourly.core.asgi_guards import BodySizeLimit, ProxyHeaders, SameOriginWebSocket  # noqa: E402
from neighbourly.routing import websocket_urlpatterns  # noqa: E402

application = ProxyHeaders(
    ProtocolTypeRouter(
        {
            "http": BodySizeLimit(django_asgi_app),
            "websocket": SameOriginWebSocket(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
        }
    )
)
