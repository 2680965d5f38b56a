"""A live server that speaks WebSocket: daphne in a background thread of the test process.

pytest-django's `live_server` is WSGI only. This runs `neighbourly.asgi.application` under daphne
on the Twisted asyncio reactor that `daphne.server` installs on its own event loop, in a daemon
thread, so the browser test's main thread (Playwright) and the server share the test database:
PostgreSQL as usual, and SQLite's shared-cache in-memory test database (which a subprocess could
not see). Twisted's reactor cannot be restarted, so there is one server per test session.

Usage: `from tests.realtime.live_server import asgi_live_server` in a test module, then take the
`asgi_live_server` fixture (its `.url`) and use `django_db(transaction=True)`.
"""

import threading

import pytest

_server = None


class AsgiLiveServer:
    def __init__(self):
        self.port = None
        self._ready = threading.Event()
        self._error = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        from daphne.server import Server  # installs the asyncio reactor on daphne's own loop

        from neighbourly.asgi import application

        server = Server(
            application=application,
            endpoints=["tcp:port=0:interface=127.0.0.1"],
            signal_handlers=False,
            verbosity=0,
        )
        original = server.listen_success

        def listen_success(port):
            original(port)
            self.port = port.getHost().port
            self._ready.set()

        server.listen_success = listen_success

        def run():
            try:
                server.run()
            except Exception as exc:  # noqa: BLE001
                self._error = exc
                self._ready.set()

        threading.Thread(target=run, name="daphne-live-server", daemon=True).start()
        if not self._ready.wait(15) or self._error is not None:
            raise RuntimeError(f"daphne did not start: {self._error!r}")
        return self


@pytest.fixture
def asgi_live_server(transactional_db, settings):
    global _server
    if _server is None:
        _server = AsgiLiveServer().start()
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    return _server
