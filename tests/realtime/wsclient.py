"""A scripted socket client for the scale-out, fault and load tests (and bench/chat).

It behaves like static/js/realtime.js: subscribes, tracks the last seq per conversation, resyncs on
(re)connect, on a gap and when a pong/sync reports a newer seq, drops duplicates, reconnects with
exponential back-off and jitter. Sends carry a client_id and are repeated after a reconnect until
their own echo arrives (the server stores one message per client_id).
"""

import asyncio
import json
import random

import websockets


class ChatClient:
    def __init__(self, url: str, cookie: str, conversations, origin: str | None = None, ping_s: float = 1.0):
        # The page's origin: the same scheme, host and port as the socket (the server checks all three).
        default_origin = url.replace("ws://", "http://", 1).replace("wss://", "https://", 1).split("/ws/")[0]
        self.url, self.cookie, self.origin, self.ping_s = url, cookie, origin or default_origin, ping_s
        self.conversations = [int(c) for c in conversations]
        self.last_seq = {c: 0 for c in self.conversations}
        self.delivered = {c: [] for c in self.conversations}  # seqs handed to the "page", in order
        self.duplicates = 0  # frames for a seq already delivered (dropped, as the page would)
        self.reconnects = 0
        self.unacked: dict[str, dict] = {}
        self.ws = None
        self.open = asyncio.Event()
        self.resynced = {c: asyncio.Event() for c in self.conversations}
        self.errors: list[dict] = []

    async def _send(self, frame) -> bool:
        try:
            await self.ws.send(json.dumps(frame))
            return True
        except Exception:  # noqa: BLE001 - closed: the reconnect loop takes over
            return False

    async def run(self, stop: asyncio.Event):
        attempts = 0
        while not stop.is_set():
            try:
                async with websockets.connect(
                    self.url, origin=self.origin, additional_headers={"Cookie": self.cookie},
                    open_timeout=5, ping_interval=None, max_size=2**22,
                ) as ws:
                    self.ws, attempts = ws, 0
                    for c in self.conversations:
                        await self._send({"type": "subscribe", "stream": f"conversation:{c}"})
                        await self._send({"type": "resync", "conversation": c, "after_seq": self.last_seq[c]})
                    for frame in list(self.unacked.values()):
                        await self._send(frame)
                    self.open.set()
                    pinger = asyncio.ensure_future(self._ping())
                    stopper = asyncio.ensure_future(stop.wait())
                    try:
                        while True:
                            receive = asyncio.ensure_future(ws.recv())
                            done, _ = await asyncio.wait({receive, stopper}, return_when=asyncio.FIRST_COMPLETED)
                            if stopper in done:
                                receive.cancel()
                                return
                            await self._on_frame(json.loads(receive.result()))
                    finally:
                        pinger.cancel()
                        stopper.cancel()
            except (OSError, websockets.ConnectionClosed, asyncio.TimeoutError, websockets.InvalidStatus):
                pass
            self.open.clear()
            if stop.is_set():
                return
            self.reconnects += 1
            attempts += 1
            await asyncio.sleep(random.uniform(0, min(2.0, 0.05 * 2**attempts)) + 0.05)

    async def _ping(self):
        while True:
            await asyncio.sleep(self.ping_s)
            await self._send({"type": "ping"})

    def _resync(self, c):
        return self._send({"type": "resync", "conversation": c, "after_seq": self.last_seq[c]})

    async def _on_frame(self, frame):
        kind = frame.get("type")
        if kind == "chat.message":
            c, seq = frame["conversation"], frame["seq"]
            self.unacked.pop(frame.get("client_id"), None)
            if seq <= self.last_seq[c]:
                self.duplicates += 1
                return
            if seq > self.last_seq[c] + 1:
                await self._resync(c)  # a gap: fetch in order
                return
            self.last_seq[c] = seq
            self.delivered[c].append(seq)
        elif kind == "resynced":
            c = frame["conversation"]
            if frame["complete"] and frame["last_seq"] <= self.last_seq[c]:
                self.resynced[c].set()
            else:
                await self._resync(c)
        elif kind in ("pong", "sync"):
            for c, seq in (frame.get("seqs") or {}).items():
                if seq > self.last_seq.get(int(c), seq):
                    await self._resync(int(c))
        elif kind == "error":
            self.errors.append(frame)

    async def send(self, conversation: int, body: str, client_id: str):
        frame = {"type": "chat.send", "conversation": conversation, "body": body, "client_id": client_id}
        self.unacked[client_id] = frame
        if self.open.is_set():
            await self._send(frame)

    async def settle(self, timeout: float = 20.0):
        """Resync every conversation until the server says we have everything."""
        await asyncio.wait_for(self.open.wait(), timeout)
        for c in self.conversations:
            self.resynced[c].clear()
            await self._resync(c)
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in self.resynced.values())), timeout)
