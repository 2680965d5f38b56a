"""Scale-out: two daphne processes on PostgreSQL + Redis deliver to each other; a Redis restart
and a daphne killed mid-chat lose nothing; and the "nothing lost" load test of QUALITY.md (50
clients, 20 s, Redis restarted in the middle). Skipped, with the reason, without DATABASE_URL
and REDIS_URL."""

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from neighbourly.realtime.models import Message
from tests.communities.factories import MembershipFactory
from tests.realtime.factories import room_with
from tests.realtime.wsclient import ChatClient

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")),
        reason="scale-out tests need DATABASE_URL (PostgreSQL) and REDIS_URL (Redis)",
    ),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server on PATH for its own Redis"),
]

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 20.0, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port}")


class RedisServer:
    """Our own redis-server (never the shared one), restartable on the same port."""

    def __init__(self):
        self.port = free_port()
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_port(self.port, proc=self.proc)

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def daphne_env(redis_server, data_dir) -> dict:
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        database_url = database_url.replace(f"{db['USER']}@", f"{db['USER']}:{db['PASSWORD']}@")
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_server.url,
        "SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": "neighbourly.settings",
        "NEIGHBOURLY_DATA_DIR": str(data_dir),
        "DEBUG": "true",
        "LOG_LEVEL": "ERROR",
    }


class DaphneServer:
    """One daphne process on the test database and our Redis, restartable on the same port."""

    def __init__(self, env):
        self.env, self.port, self.proc = env, free_port(), None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"

    def start(self, wait: bool = True):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "neighbourly.asgi:application"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        if wait:
            self.wait()

    def wait(self):
        wait_port(self.port, proc=self.proc)

    def kill(self):
        """SIGKILL: no graceful close frames, as when a host dies."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None


@pytest.fixture
def daphne_servers(redis_server, tmp_path):
    """Two daphne processes on the test database and our Redis."""
    env = daphne_env(redis_server, tmp_path)
    servers = [DaphneServer(env), DaphneServer(env)]
    try:
        for server in servers:
            server.start(wait=False)
        for server in servers:
            server.wait()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def daphnes(daphne_servers):
    return [server.url for server in daphne_servers]


def cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def db_seqs(conversation_id) -> list[int]:
    return list(Message.objects.filter(conversation_id=conversation_id).order_by("seq").values_list("seq", flat=True))


async def run_clients(clients, body):
    stop = asyncio.Event()
    tasks = [asyncio.ensure_future(c.run(stop)) for c in clients]
    try:
        await asyncio.wait_for(asyncio.gather(*(c.open.wait() for c in clients)), 20)
        await body()
        for c in clients:
            await c.settle()
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)


def test_message_sent_through_one_daphne_reaches_a_client_on_the_other(daphnes, community):
    alex = MembershipFactory(community=community, verified=True)
    margaret = MembershipFactory(community=community, verified=True)
    room = room_with(community, alex.user, margaret.user)
    sender = ChatClient(daphnes[0], cookie_for(alex.user), [room.id], ping_s=30)
    receiver = ChatClient(daphnes[1], cookie_for(margaret.user), [room.id], ping_s=30)

    async def body():
        await asyncio.sleep(0.5)  # both subscribed (subscribe is confirmed through Redis before `subscribed`)
        for i in range(5):
            await sender.send(room.id, f"hello {i}", f"x{i}")
        deadline = time.monotonic() + 10
        while len(receiver.delivered[room.id]) < 5 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    asyncio.run(run_clients([sender, receiver], body))
    assert receiver.delivered[room.id] == [1, 2, 3, 4, 5]
    # Live, not only by the final resync: pings were off, so only the layer could have carried them.
    assert receiver.reconnects == 0


def test_redis_restart_loses_nothing(daphnes, redis_server, community):
    people = [MembershipFactory(community=community, verified=True) for _ in range(4)]
    room = room_with(community, *[p.user for p in people])
    # No client pings: what arrives before the final resync came live, or from the hub's recovery
    # `sync` frame after Redis came back (the hub re-joins its groups and tells sockets the seqs).
    clients = [ChatClient(daphnes[i % 2], cookie_for(p.user), [room.id], ping_s=60) for i, p in enumerate(people)]
    caught_up_before_settle = []

    async def body():
        for i in range(10):
            await clients[i % 4].send(room.id, f"before {i}", f"b{i}")
            await asyncio.sleep(0.05)
        redis_server.stop()
        for i in range(10):  # while Redis is away: the sends still commit to PostgreSQL
            await clients[i % 4].send(room.id, f"during {i}", f"d{i}")
            await asyncio.sleep(0.1)
        redis_server.start()
        await asyncio.sleep(1.0)
        for i in range(10):
            await clients[i % 4].send(room.id, f"after {i}", f"a{i}")
            await asyncio.sleep(0.05)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(len(c.delivered[room.id]) < 30 for c in clients):
            await asyncio.sleep(0.1)
        caught_up_before_settle.extend(len(c.delivered[room.id]) for c in clients)

    asyncio.run(run_clients(clients, body))
    expected = db_seqs(room.id)
    assert expected == list(range(1, 31))
    assert caught_up_before_settle == [30, 30, 30, 30]
    for client in clients:
        assert client.delivered[room.id] == expected


def test_nothing_lost_50_clients_20_seconds_with_a_redis_restart(daphnes, redis_server, community):
    """QUALITY.md: 50 clients in 5 rooms over two daphne processes, 10 senders at 1 msg/s for 20 s,
    Redis restarted at 10 s. Every client's delivered seqs equal the database's, without duplicates."""
    rooms, clients = [], []
    for r in range(5):
        people = [MembershipFactory(community=community, verified=True) for _ in range(10)]
        room = room_with(community, *[p.user for p in people], title=f"Room {r}")
        rooms.append(room)
        for i, person in enumerate(people):
            clients.append(ChatClient(daphnes[(r + i) % 2], cookie_for(person.user), [room.id]))
    senders = [clients[r * 10 + k] for r in range(5) for k in range(2)]  # 2 per room

    async def body():
        start = time.monotonic()
        restarted = False
        for second in range(20):
            for n, sender in enumerate(senders):
                await sender.send(sender.conversations[0], f"{second}-{n}", f"{second}-{n}")
            if second == 10 and not restarted:
                redis_server.stop()
                await asyncio.sleep(0.5)
                redis_server.start()
                restarted = True
            await asyncio.sleep(max(0.0, start + second + 1 - time.monotonic()))

    asyncio.run(run_clients(clients, body))
    for room in rooms:
        assert db_seqs(room.id) == list(range(1, 41))  # 2 senders x 20 s, each message stored once
    for client in clients:
        c = client.conversations[0]
        assert client.delivered[c] == db_seqs(c)
        assert len(set(client.delivered[c])) == len(client.delivered[c])


def test_daphne_killed_mid_chat_and_restarted_loses_nothing(daphne_servers, community):
    """QUALITY.md: daphne killed mid-chat and restarted: clients reconnect with back-off and
    resync; sends made while their server was down are retried and stored once."""
    people = [MembershipFactory(community=community, verified=True) for _ in range(4)]
    room = room_with(community, *[p.user for p in people])
    killed, survivor = daphne_servers
    clients = [ChatClient((killed, survivor)[i % 2].url, cookie_for(p.user), [room.id], ping_s=1.0)
               for i, p in enumerate(people)]

    async def body():
        for i in range(10):
            await clients[i % 4].send(room.id, f"before {i}", f"b{i}")
            await asyncio.sleep(0.05)
        await asyncio.to_thread(killed.kill)
        for i in range(10):  # everyone keeps typing: the killed server's clients queue their sends
            await clients[i % 4].send(room.id, f"during {i}", f"d{i}")
            await asyncio.sleep(0.1)
        await asyncio.to_thread(killed.start)
        await asyncio.wait_for(asyncio.gather(*(c.open.wait() for c in clients)), 20)
        for i in range(10):
            await clients[i % 4].send(room.id, f"after {i}", f"a{i}")
            await asyncio.sleep(0.05)

    asyncio.run(run_clients(clients, body))
    expected = db_seqs(room.id)
    assert expected == list(range(1, 31))  # each of the 30 sends stored once, retries included
    for client in clients:
        assert client.delivered[room.id] == expected
        assert client.unacked == {}
    assert [c.reconnects > 0 for c in clients] == [True, False, True, False]
