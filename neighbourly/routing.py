"""WebSocket routes, all under /ws/. The realtime app adds its consumer here."""

websocket_urlpatterns: list = []
