"""WebSocket routes, all under /ws/: one socket per browser tab."""

from django.urls import path

from neighbourly.realtime.consumers import ClientConsumer

websocket_urlpatterns = [
    path("ws/", ClientConsumer.as_asgi()),
]
