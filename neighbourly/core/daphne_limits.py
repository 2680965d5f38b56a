"""The request-size cap inside daphne, for `neighbourly serve`.

Twisted reads a whole request body (into memory or a temporary file) before daphne hands the
request to the application, so an ASGI layer sees a 60 MB upload only once it has been received.
This request class refuses it as the headers arrive (Content-Length over the cap) or as the body
streams past the cap (chunked): it answers 413, keeps nothing it reads, and closes the connection.
"""

from daphne import server as daphne_server
from daphne.http_protocol import HTTPFactory, WebRequest
from django.conf import settings

from neighbourly.core.asgi_guards import TOO_LARGE

CLOSE_AFTER_SECONDS = 2.0  # time for the client to read the 413 before the connection is dropped


class SizeLimitedWebRequest(WebRequest):
    refused = False

    def _limit(self) -> int:
        return settings.NEIGHBOURLY_MAX_REQUEST_BYTES

    def gotLength(self, length):
        super().gotLength(length if length is None or length <= self._limit() else 0)
        self._body_bytes = 0
        if length is not None and length > self._limit():
            self.requestHeaders.removeHeader(b"Expect")  # no "100 Continue": we don't want the body
            self._refuse()

    def handleContentChunk(self, data):
        if self.refused:
            return
        self._body_bytes += len(data)
        if self._body_bytes > self._limit():
            self._refuse()
            return
        super().handleContentChunk(data)

    def requestReceived(self, command, path, version):
        if not self.refused:
            super().requestReceived(command, path, version)

    def _refuse(self) -> None:
        self.refused = True
        api = (getattr(self.channel, "_path", None) or getattr(self, "uri", None) or b"").startswith(b"/api/")
        body = (b'{"detail": "' + TOO_LARGE.encode() + b'"}') if api else TOO_LARGE.encode()
        content_type = b"application/json" if api else b"text/plain; charset=utf-8"
        transport = self.channel.transport
        head = (b"HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: " + content_type
                + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n")
        transport.write(head + body)
        from twisted.internet import reactor  # daphne's asyncio reactor, installed by daphne.server

        if hasattr(transport, "stopReading"):
            transport.stopReading()
        reactor.callLater(CLOSE_AFTER_SECONDS, transport.abortConnection)


class SizeLimitedHTTPFactory(HTTPFactory):
    def buildProtocol(self, addr):
        protocol = super().buildProtocol(addr)
        protocol.requestFactory = SizeLimitedWebRequest
        return protocol


def install() -> None:
    """Make daphne's Server (in this process) build its HTTP connections with the limit."""
    daphne_server.HTTPFactory = SizeLimitedHTTPFactory
