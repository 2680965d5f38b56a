"""Per-process fan-out: one channel-layer subscription per group, local sockets written directly.

Plain Channels gives every socket its own layer channel and joins each to the group, so a room of
N members costs N layer deliveries, N consumer dispatches and N JSON encodings per message. Here
each process (each event loop) owns one `Hub` with one layer channel. The hub joins a group when
its first local socket subscribes and leaves it with the last; for every event it receives it
encodes the frame once and writes the same text to each local socket of that group.

Layer failures (Redis restarted): the hub's receive loop backs off and retries; after a failure it
joins all its groups again and asks every local socket to send its client the latest sequence
numbers (`sync` frame), so clients fetch whatever was published while the layer was away.
"""

import asyncio
import json
import logging
import uuid
import weakref

from channels.layers import get_channel_layer

from neighbourly.core.events import HUB_EVENT

logger = logging.getLogger(__name__)

from django.conf import settings  # noqa: E402

HUB_CONFIRM = "hub.confirm"
CONFIRM_TIMEOUT_S = 1.0
PRESENCE_FLUSH_S = 1.0
PRESENCE_LIST_MAX = 50  # above this many online, presence events carry the count only
PROBE_INTERVAL_S = getattr(settings, "NEIGHBOURLY_HUB_PROBE_S", 5.0)

_hubs: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def get_hub() -> "Hub":
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub()
    return hub


async def hub_close() -> None:
    """Stop this loop's hub (tests; a server process keeps its hub for its lifetime)."""
    hub = _hubs.pop(asyncio.get_running_loop(), None)
    if hub is None:
        return
    for task in (hub._task, hub._probe, hub._beat):
        if task is not None:
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001
                pass


def encode(event: dict) -> str:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)


class Hub:
    def __init__(self):
        self.layer = get_channel_layer()
        self.channel: str | None = None
        self.groups: dict[str, set] = {}  # group -> local sockets (consumers)
        self.sockets: set = set()
        self._task: asyncio.Task | None = None
        self._probe: asyncio.Task | None = None
        self._beat: asyncio.Task | None = None
        self._lock = asyncio.Lock()
        self.layer_failures = 0
        self._confirms: dict[str, asyncio.Future] = {}
        self._presence_dirty: dict[str, str] = {}

    # -- membership -------------------------------------------------------------------------
    async def _ensure_started(self):
        if self.layer is None or self._task is not None:
            return
        async with self._lock:
            if self._task is None:
                self.channel = await self.layer.new_channel(prefix="hub.")
                self._task = asyncio.ensure_future(self._receive_loop())
                self._probe = asyncio.ensure_future(self._probe_loop())
                self._beat = asyncio.ensure_future(self._heartbeat_loop())

    def register(self, socket) -> None:
        self.sockets.add(socket)

    async def join(self, group: str, socket) -> None:
        await self._ensure_started()
        members = self.groups.get(group)
        if members is None:
            members = self.groups[group] = set()
            members.add(socket)
            if self.layer is not None:
                try:
                    await self.layer.group_add(group, self.channel)
                    await self._confirm(group)
                except Exception:  # noqa: BLE001 - the probe loop re-joins once the layer is back
                    self.layer_failures += 1
                    logger.warning("hub could not join %s", group, exc_info=True)
        else:
            members.add(socket)

    async def _confirm(self, group: str) -> None:
        """Wait until the group's first message reaches us, so `subscribed` means live.

        (Redis SUBSCRIBE is not acknowledged before the call returns; a PUBLISH from another
        connection could otherwise overtake it.)"""
        token = uuid.uuid4().hex
        future = self._confirms[token] = asyncio.get_running_loop().create_future()
        try:
            await self.layer.group_send(group, {"type": HUB_CONFIRM, "token": token})
            await asyncio.wait_for(future, CONFIRM_TIMEOUT_S)
        except asyncio.TimeoutError:
            logger.warning("hub join of %s not confirmed within %.1fs", group, CONFIRM_TIMEOUT_S)
        finally:
            self._confirms.pop(token, None)

    async def leave(self, group: str, socket) -> None:
        members = self.groups.get(group)
        if not members:
            return
        members.discard(socket)
        if not members:
            del self.groups[group]
            if self.layer is not None:
                try:
                    await self.layer.group_discard(group, self.channel)
                except Exception:  # noqa: BLE001
                    logger.warning("hub could not leave %s", group, exc_info=True)

    async def leave_all(self, socket, groups) -> None:
        self.sockets.discard(socket)
        for group in list(groups):
            await self.leave(group, socket)

    # -- delivery ---------------------------------------------------------------------------
    async def deliver(self, group: str, event: dict) -> int:
        """Encode once, write to every local socket of the group. Returns the number written."""
        members = self.groups.get(group)
        if not members:
            return 0
        frame = encode(event) if not str(event.get("type", "")).startswith("access.") else None
        written = 0
        prepared: dict = {}  # WebSocket frame bytes built once per server factory (daphne/autobahn)
        for socket in list(members):
            try:
                if frame is not None and socket.direct is not None:
                    socket.write_prepared(frame, prepared)
                else:
                    await socket.hub_deliver(group, event, frame)
                written += 1
            except Exception:  # noqa: BLE001 - one broken socket must not stop the others
                logger.debug("delivery to a socket failed", exc_info=True)
        return written

    async def _receive_loop(self):
        delay = 0.1
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - layer down: back off, the probe re-joins
                self.layer_failures += 1
                logger.warning("hub receive failed; retrying in %.1fs", delay, exc_info=True)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            delay = 0.1
            kind = message.get("type")
            if kind == HUB_EVENT:
                await self.deliver(message["group"], message["event"])
            elif kind == HUB_CONFIRM:
                future = self._confirms.get(message.get("token"))
                if future is not None and not future.done():
                    future.set_result(True)

    async def _probe_loop(self):
        """Detect a layer outage and recover: re-join every group, tell sockets to resync."""
        seen_failures = self.layer_failures
        while True:
            await asyncio.sleep(PROBE_INTERVAL_S)
            try:
                await self.layer.group_send(f"hub-probe.{id(self)}", {"type": "hub.probe"})
                healthy = True
            except Exception:  # noqa: BLE001
                self.layer_failures += 1
                healthy = False
            if healthy and self.layer_failures != seen_failures:
                seen_failures = self.layer_failures
                await self.recover()

    async def _heartbeat_loop(self):
        """Server-side heartbeat: each socket re-checks its access when due, even if its client is quiet.
        Checked every second, so the (jittered) due times stay spread out. Also flushes presence."""
        while True:
            await asyncio.sleep(PRESENCE_FLUSH_S)
            for socket in list(self.sockets):
                if socket.heartbeat_due():
                    asyncio.ensure_future(socket.hub_heartbeat())
            try:
                await self.flush_presence()
            except Exception:  # noqa: BLE001 - presence is best effort
                logger.warning("presence flush failed", exc_info=True)

    def presence_changed(self, group: str, stream: str) -> None:
        """Someone arrived or left: one `presence` event per stream per flush, not one per change
        (a room of 2,000 filling up would otherwise send 2,000 x 2,000 frames)."""
        self._presence_dirty[group] = stream

    async def flush_presence(self) -> None:
        from channels.db import database_sync_to_async

        from neighbourly.core.events import send_event_async
        from neighbourly.realtime.presence import presence_online

        dirty, self._presence_dirty = self._presence_dirty, {}
        for group, stream in dirty.items():
            online = await database_sync_to_async(presence_online)(stream=stream)
            event = {"type": "presence", "stream": stream, "count": len(online)}
            if len(online) <= PRESENCE_LIST_MAX:
                event["online"] = online
            await send_event_async(group, event)

    async def recover(self):
        for group in list(self.groups):
            try:
                await self.layer.group_add(group, self.channel)
            except Exception:  # noqa: BLE001
                self.layer_failures += 1
                return
        for socket in list(self.sockets):
            asyncio.ensure_future(socket.hub_resync_hint())
