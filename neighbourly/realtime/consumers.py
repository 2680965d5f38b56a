"""The one WebSocket per browser tab, at /ws/ (protocol: DESIGN.md, Realtime).

The consumer authenticates from the session (scope["user"]), checks access through selectors on
every subscribe and send (via database_sync_to_async, never ORM inline), joins and leaves groups
through the process hub, and writes the frames the hub hands it. It has no channel-layer channel
of its own: the hub (hub.py) receives each group message once per process.
"""

import asyncio
import functools
import json
import logging
import random
import time

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from neighbourly.core.errors import ApplicationError, NotFound, RateLimited
from neighbourly.core.events import (
    ACCESS_RECHECK,
    ACCESS_REVOKED,
    SESSION_ENDED,
    community_group,
    conversation_group,
    send_event_async,
    session_tag,
    user_group,
)
from neighbourly.realtime import access
from neighbourly.realtime.hub import PRESENCE_LIST_MAX, encode, get_hub
from neighbourly.realtime.models import MESSAGE_MAX_LENGTH

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = getattr(settings, "NEIGHBOURLY_WS_MAX_FRAME_BYTES", 16 * 1024)
HEARTBEAT_S = getattr(settings, "NEIGHBOURLY_WS_HEARTBEAT_S", 20.0)
FRAMES_PER_S = getattr(settings, "NEIGHBOURLY_WS_FRAMES_PER_S", 10.0)
FRAME_BURST = getattr(settings, "NEIGHBOURLY_WS_FRAME_BURST", 40)
FLOOD_CLOSE_AFTER = 200  # frames refused in a row before the socket is closed (CLOSE_FLOOD)
MAX_SUBSCRIPTIONS = 200
INBOX_MAX = 100  # conversations followed for the unread badge by stream "me" (the most recent)
RESYNC_PAGE = 200
TYPING_EVERY_S = 2.0

# Close codes the server sends (README, "Security"). Applications may only send 1000 or 3000-4999:
# autobahn (daphne) refuses 1008/1009 from an application, and daphne then fails the socket with
# 1011 and a traceback. 4xxx mirror the HTTP statuses where there is one.
CLOSE_UNAUTHENTICATED = 4401  # no session, or the session ended (logout): the client stops reconnecting
CLOSE_TOO_BIG = 4009  # a frame over MAX_FRAME_BYTES (1009 "message too big")
CLOSE_FLOOD = 4029  # frames kept coming after FLOOD_CLOSE_AFTER refusals (HTTP 429)

DIRECT_WRITE = getattr(settings, "NEIGHBOURLY_WS_DIRECT_WRITE", True)

run = database_sync_to_async


def _direct_writer(send):
    """(protocol, server) when `send` is daphne's `partial(server.handle_reply, protocol)` over an
    autobahn protocol that can send prepared messages; None under any other server or in tests.

    Channels' session middleware wraps `send` (to save the session on accept); data frames need no
    session save, so the writer looks through that wrapper to daphne's own send."""
    for _ in range(4):  # through a few wrappers that keep the inner send as `real_send`
        inner = getattr(getattr(send, "__self__", None), "real_send", None)
        if inner is None:
            break
        send = inner
    if not isinstance(send, functools.partial) or not send.args:
        return None
    protocol, server = send.args[0], getattr(send.func, "__self__", None)
    if hasattr(protocol, "sendPreparedMessage") and hasattr(protocol, "factory") and hasattr(server, "connections"):
        return protocol, server
    return None


class TokenBucket:
    def __init__(self, rate: float, burst: int):
        self.rate, self.burst, self.tokens, self.at = rate, burst, float(burst), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class ClientConsumer(AsyncWebsocketConsumer):
    channel_layer_alias = "neighbourly.no-per-socket-channel"  # no such layer: the hub fans out

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        session = self.scope.get("session")
        self.session_key = getattr(session, "session_key", None) if session is not None else None
        self.session = session_tag(self.session_key) if self.session_key else None
        self.hub = get_hub()
        self.joined: set[str] = set()
        self.conversations: dict[int, str] = {}  # conversation id -> group
        self.communities: dict[int, str] = {}  # community id -> slug
        self.inbox: dict[int, str] = {}  # conversation id -> group, followed for the badge only ("me")
        self.inbox_on = False
        self.bucket = TokenBucket(FRAMES_PER_S, FRAME_BURST)
        self.refused_in_a_row = 0
        self.last_error_at = 0.0
        # Spread the server-side heartbeats of sockets that connected together (no stampede).
        self.last_check = time.monotonic() - random.uniform(0, HEARTBEAT_S)
        self.typing_at: dict[int, float] = {}
        self.name = await run(access.display_name)(user=user)
        self.direct = _direct_writer(self.base_send) if DIRECT_WRITE else None
        self.hub.register(self)
        await self._join(user_group(user.pk))  # before accept: live from the first frame
        await self.accept()

    async def disconnect(self, code):
        hub = getattr(self, "hub", None)
        if hub is None:
            return
        await hub.leave_all(self, self.joined)
        for conversation_id in list(self.conversations):
            await self._presence_left("conversation", conversation_id)
        for community_id in list(self.communities):
            await run(access.unsubscribe_presence)(user=self.user, kind="community", object_id=community_id)

    async def dispatch(self, message):
        # Channels' dispatch also runs aclose_old_connections() (a thread hop) per frame; every DB
        # call here goes through database_sync_to_async, which closes stale connections itself.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # -- frames from the client ----------------------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None):
        raw = text_data if text_data is not None else bytes_data
        if raw is None or len(raw) > MAX_FRAME_BYTES:
            await self.close(code=CLOSE_TOO_BIG)
            return
        if not self.bucket.take():
            self.refused_in_a_row += 1
            if self.refused_in_a_row > FLOOD_CLOSE_AFTER:
                await self.close(code=CLOSE_FLOOD)
                return
            now = time.monotonic()
            if now - self.last_error_at > 1.0:
                self.last_error_at = now
                await self.error("rate_limited", "Too many frames; slow down.")
            return
        self.refused_in_a_row = 0
        try:
            content = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            await self.error("bad_frame", "Frames are JSON objects.")
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.error("bad_frame", "Frames are JSON objects with a 'type'.")
            return
        handler = self.HANDLERS.get(content["type"])
        if handler is None:
            await self.error("unknown_type", f"Unknown frame type '{content['type'][:40]}'.")
            return
        try:
            await handler(self, content)
        except NotFound:
            await self.error("not_found", "Not found.", content)
        except RateLimited as exc:
            await self.error("rate_limited", exc.message, content)
        except ApplicationError as exc:
            await self.error("invalid", exc.message, content)
        except Exception:  # noqa: BLE001 - e.g. the database away: tell the client, keep the socket
            logger.exception("socket frame %s failed", content.get("type"))
            await self.error("server_error", "Something went wrong; try again.", content)

    async def on_ping(self, content):
        if time.monotonic() - self.last_check >= HEARTBEAT_S / 2:
            await self.revalidate()
            return
        await self.send_json({"type": "pong"})

    async def on_subscribe(self, content):
        stream = content.get("stream")
        if not isinstance(stream, str) or len(stream) > 80:
            raise ApplicationError("Name a stream: 'conversation:ID' or 'community:SLUG'.")
        if stream == "me":
            await self._subscribe_me()
            return
        if len(self.conversations) + len(self.communities) + len(self.inbox) >= MAX_SUBSCRIPTIONS:
            raise ApplicationError("Too many subscriptions on one socket.")
        sub = await run(access.subscribe)(user=self.user, stream=stream)
        await self._join(sub["group"])
        reply = {"type": "subscribed", "stream": stream}
        if sub["kind"] == "conversation":
            self.inbox.pop(sub["id"], None)  # now a full subscription (same group, stays joined)
            self.conversations[sub["id"]] = sub["group"]
            reply["last_seq"] = sub["last_seq"]
            reply["online"] = sub["online"][:PRESENCE_LIST_MAX]
            reply["online_count"] = len(sub["online"])
        else:
            self.communities[sub["id"]] = stream.partition(":")[2]
            reply["online"] = len(sub["online"])
        await self.send_json(reply)
        if sub["kind"] == "conversation" and sub["was_new"]:
            self.hub.presence_changed(sub["group"], stream)

    async def _subscribe_me(self):
        """Every page of a resident: their communities' streams (feed.new, alert) and their recent
        conversations (chat.message for the unread badge). The reply carries the unread state:
        {"type": "subscribed", "stream": "me", "communities": [slugs], "unread": [ids], "seqs": {id: seq}}."""
        state = await run(access.subscribe_me)(user=self.user, limit=INBOX_MAX)
        joins = []
        for community_id, slug in state["communities"]:
            if community_id not in self.communities:
                self.communities[community_id] = slug
                joins.append(community_group(community_id))
        for conversation_id in state["inbox"]:
            if conversation_id not in self.conversations and conversation_id not in self.inbox:
                self.inbox[conversation_id] = conversation_group(conversation_id)
                joins.append(self.inbox[conversation_id])
        self.inbox_on = True
        await asyncio.gather(*(self._join(group) for group in joins))
        await self.send_json({"type": "subscribed", "stream": "me", "complete": True,
                              "communities": [slug for _id, slug in state["communities"]],
                              **self._inbox_frame(state["inbox"])})

    @staticmethod
    def _inbox_frame(inbox: dict) -> dict:
        return {"unread": sorted(cid for cid, (last, read) in inbox.items() if last > read),
                "seqs": {str(cid): last for cid, (last, _read) in inbox.items()}}

    async def _inbox_granted(self, conversation_id: int):
        """Added to a conversation while connected: follow it (join first, so nothing is missed),
        then tell the client its unread state in an `inbox` frame."""
        if conversation_id in self.conversations or conversation_id in self.inbox:
            return
        group = self.inbox[conversation_id] = conversation_group(conversation_id)
        await self._join(group)
        try:
            state = await run(access.inbox_state)(user=self.user, conversation_ids=[conversation_id])
        except Exception:  # noqa: BLE001 - the heartbeat re-checks it anyway
            logger.warning("inbox grant check failed", exc_info=True)
            return
        if conversation_id not in state:
            await self._drop_inbox(conversation_id)
            return
        await self.send_json({"type": "inbox", "complete": False, **self._inbox_frame(state)})

    async def on_unsubscribe(self, content):
        kind, _, key = str(content.get("stream", "")).partition(":")
        if kind == "me":
            self.inbox_on = False
            for conversation_id in list(self.inbox):
                await self._drop_inbox(conversation_id)
        elif kind == "conversation" and key.isdigit() and int(key) in self.conversations:
            await self._drop_conversation(int(key))
            await self._presence_left("conversation", int(key))
        elif kind == "community":
            for community_id, slug in list(self.communities.items()):
                if slug == key:
                    await self._drop_community(community_id)
        await self.send_json({"type": "unsubscribed", "stream": content.get("stream")})

    async def on_chat_send(self, content):
        body, client_id = content.get("body"), content.get("client_id", "")
        if not isinstance(body, str) or not isinstance(client_id, str):
            raise ApplicationError("chat.send needs a text 'body' and a text 'client_id'.")
        if len(body) > MESSAGE_MAX_LENGTH:
            await self.error("too_long", f"A message holds at most {MESSAGE_MAX_LENGTH} characters.", content)
            return
        event, created = await run(access.send)(
            user=self.user, conversation_id=content.get("conversation"), body=body, client_id=client_id
        )
        conversation_id = event["conversation"]
        if conversation_id not in self.conversations:  # the sender hears its own message as an event
            group = conversation_group(conversation_id)
            self.conversations[conversation_id] = group
            await self._join(group)
            if created:
                # Joined after the publish may have passed through: hand this socket its copy.
                await self.send(text_data=encode(event))
        elif not created:  # an idempotent repeat: nothing was published, answer this socket only
            await self.send(text_data=encode(event))

    async def on_resync(self, content):
        events, last_seq = await run(access.resync)(
            user=self.user, conversation_id=content.get("conversation"), after_seq=content.get("after_seq", 0),
            limit=RESYNC_PAGE,
        )
        for event in events:
            await self.send(text_data=encode(event))
        upto = events[-1]["seq"] if events else last_seq
        await self.send_json(
            {"type": "resynced", "conversation": int(content["conversation"]), "upto": upto,
             "last_seq": last_seq, "complete": upto >= last_seq}
        )

    async def on_typing(self, content):
        conversation_id = content.get("conversation")
        if conversation_id not in self.conversations:
            raise NotFound()
        now = time.monotonic()
        if now - self.typing_at.get(conversation_id, 0) < TYPING_EVERY_S:
            return
        self.typing_at[conversation_id] = now
        await send_event_async(
            self.conversations[conversation_id],
            {"type": "typing", "conversation": conversation_id, "user": {"id": self.user.pk, "name": self.name}},
        )

    async def on_read(self, content):
        seq = await run(access.mark_read)(user=self.user, conversation_id=content.get("conversation"),
                                          seq=content.get("seq"))
        await self.send_json({"type": "read", "conversation": content.get("conversation"), "seq": seq})

    HANDLERS = {
        "ping": on_ping,
        "subscribe": on_subscribe,
        "unsubscribe": on_unsubscribe,
        "chat.send": on_chat_send,
        "resync": on_resync,
        "typing": on_typing,
        "read": on_read,
    }

    # -- from the hub --------------------------------------------------------------------------
    async def hub_deliver(self, group: str, event: dict, frame: str | None):
        kind = event.get("type")
        if kind == ACCESS_REVOKED:
            kind, _, key = str(event.get("stream", "")).partition(":")
            if kind == "conversation" and key.isdigit() and int(key) in self.inbox:
                await self._drop_inbox(int(key))
            if kind == "conversation" and key.isdigit() and int(key) in self.conversations:
                await self._drop_conversation(int(key))
                await self.error("access_revoked", "You are no longer a member.", {"stream": event["stream"]})
            return
        if kind == "access.granted":
            kind, _, key = str(event.get("stream", "")).partition(":")
            if self.inbox_on and kind == "conversation" and key.isdigit():
                # Not awaited: the hub delivers to other sockets meanwhile (this checks access in the DB).
                asyncio.ensure_future(self._inbox_granted(int(key)))
            return
        if kind == ACCESS_RECHECK:
            # Not awaited: the hub's delivery loop must not wait for this socket's database check.
            self.recheck = asyncio.ensure_future(self.hub_heartbeat(force=True))
            return
        if kind == SESSION_ENDED:
            if event.get("session") is None or event["session"] == self.session:
                await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        await self.send(text_data=frame)

    def write_prepared(self, frame: str, cache: dict) -> None:
        """Fan-out fast path under daphne: the WebSocket frame is built once (autobahn's
        prepareMessage) and the same bytes are written to every local socket of the group."""
        protocol, server = self.direct
        connection = server.connections.get(protocol)
        if connection is None or connection.get("disconnected") or protocol.state != protocol.STATE_OPEN:
            return
        key = id(protocol.factory)
        prepared = cache.get(key)
        if prepared is None:
            prepared = cache[key] = protocol.factory.prepareMessage(frame.encode("utf-8"), isBinary=False)
        protocol.sendPreparedMessage(prepared)

    async def hub_resync_hint(self):
        """The layer was away: re-check access and hand the client the latest seqs (a `sync` frame).
        A logout published meanwhile was lost: a socket whose session is gone closes now."""
        try:
            if self.session_key and not await run(access.session_alive)(session_key=self.session_key):
                await self.close(code=CLOSE_UNAUTHENTICATED)
                return
            await self.revalidate(frame_type="sync")
        except Exception:  # noqa: BLE001 - the client's own ping will report the seqs
            logger.warning("resync hint failed", exc_info=True)

    def heartbeat_due(self) -> bool:
        return time.monotonic() - self.last_check >= HEARTBEAT_S

    async def hub_heartbeat(self, force: bool = False):
        if force or self.heartbeat_due():
            self.last_check = time.monotonic()  # not due again while this check runs
            try:
                await self.revalidate(frame_type=None)
            except Exception:  # noqa: BLE001 - database away: try again at the next heartbeat
                logger.warning("heartbeat re-check failed", exc_info=True)

    async def revalidate(self, frame_type: str | None = "pong"):
        """The heartbeat: drop subscriptions the user lost (removed, suspended), report the seqs."""
        # Spread the server-side heartbeats of sockets that connected together (no stampede).
        self.last_check = time.monotonic() - random.uniform(0, HEARTBEAT_S)
        # Only what was checked can be dropped: a subscribe that completes while the check runs
        # (an await) is not in it, and was checked by the subscribe itself.
        checked_conversations, checked_communities = set(self.conversations), set(self.communities)
        checked_inbox = set(self.inbox)
        beat = await run(access.heartbeat)(
            user=self.user, conversation_ids=list(checked_conversations), community_ids=list(checked_communities),
            inbox_ids=list(checked_inbox),
        )
        for conversation_id in (checked_inbox - beat.conversations) & set(self.inbox):
            await self._drop_inbox(conversation_id)
        for conversation_id in (checked_conversations - beat.conversations) & set(self.conversations):
            await self._drop_conversation(conversation_id)
            await self.error("access_revoked", "You are no longer a member.",
                             {"stream": f"conversation:{conversation_id}"})
        for community_id in (checked_communities - beat.communities) & set(self.communities):
            slug = self.communities[community_id]
            await self._drop_community(community_id)
            await self.error("access_revoked", "You are no longer a verified resident.", {"stream": f"community:{slug}"})
        if frame_type:
            await self.send_json({"type": frame_type, "seqs": {str(k): v for k, v in beat.seqs.items()}})

    # -- helpers -------------------------------------------------------------------------------
    async def send_json(self, content):
        await self.send(text_data=encode(content))

    async def error(self, code: str, detail: str, about: dict | None = None):
        frame = {"type": "error", "code": code, "detail": detail}
        for key in ("stream", "conversation", "client_id"):
            if about and isinstance(about.get(key), (str, int)):
                frame[key] = about[key]
        await self.send_json(frame)

    async def _join(self, group: str):
        self.joined.add(group)
        await self.hub.join(group, self)

    async def _drop_conversation(self, conversation_id: int):
        group = self.conversations.pop(conversation_id, None)
        if group:
            self.joined.discard(group)
            await self.hub.leave(group, self)

    async def _drop_inbox(self, conversation_id: int):
        group = self.inbox.pop(conversation_id, None)
        if group and conversation_id not in self.conversations:
            self.joined.discard(group)
            await self.hub.leave(group, self)

    async def _drop_community(self, community_id: int):
        self.communities.pop(community_id, None)
        group = community_group(community_id)
        self.joined.discard(group)
        await self.hub.leave(group, self)

    async def _presence_left(self, kind: str, object_id: int):
        await run(access.unsubscribe_presence)(user=self.user, kind=kind, object_id=object_id)
        self.hub.presence_changed(conversation_group(object_id), f"{kind}:{object_id}")


