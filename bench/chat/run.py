"""Chat fan-out benchmark: Neighbourly's consumer against two references, side by side, one run.

    .venv/bin/python bench/chat/run.py [--rounds 5] [--sizes 10,100,700,2000] [--redis-port 6391]

Servers (each pinned to core 0 with taskset; this load generator pins itself to core 1):
  bare         a bare `websockets` server using websockets.broadcast()           (bare_server.py)
  channels     the Channels tutorial consumer: one layer channel per socket       (minimal_asgi.py)
  neighbourly  neighbourly.asgi under daphne: sessions, access checks, a DB write per message
               with its seq, one layer message per process per room (hub.py)
Both Channels servers use the Redis pub/sub layer on a redis-server this script starts (its own
port), unless --in-memory. Neighbourly uses SQLite in a throwaway data dir unless DATABASE_URL is
set (then that database is flushed and seeded: use a scratch one).

Reported (medians over rounds of the paired ratios; absolute figures only as context):
  P5  p99 time until the last member of the room has a message (room 700 is the goal's size)
  P6  deliveries/s in a room of 100 under a burst; ratio to the bare server
  P7  p95 per room size: the largest measured size with p95 <= 500 ms
  P8  server memory per idle subscribed socket (RSS delta / sockets, at the largest size)
  P9  messages not delivered live under a burst; for Neighbourly also after resync
"""

import argparse
import asyncio
import json
import os
from pathlib import Path
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import websockets

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
LATENCY_SAMPLES = 30
BURST = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("server did not listen")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# -- seeding Neighbourly --------------------------------------------------------------------------
def seed_neighbourly(env, max_size, sizes):
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.chat.settings_bench"
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from neighbourly.accounts.models import Profile, User
    from neighbourly.communities.models import Community, Membership, MembershipStatus
    from neighbourly.realtime.services import conversation_create_room

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    box = {"type": "Polygon", "coordinates": [[[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01], [0, 0]]]}
    community = Community.objects.create(slug="bench", name="Bench", boundary=box, min_lon=0, min_lat=0,
                                         max_lon=0.01, max_lat=0.01)
    users = [User(email=f"b{i}@bench.test", password="!") for i in range(max_size)]
    User.objects.bulk_create(users, batch_size=1000)
    users = list(User.objects.order_by("id"))
    Profile.objects.bulk_create([Profile(user=u, display_name=f"Neighbour {i}") for i, u in enumerate(users)])
    now = timezone.now()
    Membership.objects.bulk_create([Membership(user=u, community=community, status=MembershipStatus.VERIFIED,
                                               verified_at=now) for u in users])
    rooms = {}
    for size in sizes:
        rooms[size] = conversation_create_room(community=community, title=f"Room {size}", members=users[:size]).id
    cookies = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        cookies.append(f"sessionid={store.session_key}")
    connection.close()
    return rooms, cookies


def message_count(conversation_id) -> int:
    from django.db import connection

    from neighbourly.realtime.models import Conversation

    value = Conversation.objects.get(pk=conversation_id).last_seq
    connection.close()
    return value


# -- the load generator ---------------------------------------------------------------------------
class Room:
    """N client sockets in one room; counts arrivals per marker."""

    def __init__(self, server, size, url, cookies, conversation):
        self.server, self.size, self.url, self.cookies, self.conversation = server, size, url, cookies, conversation
        self.sockets, self.tasks = [], []
        self.arrivals: dict[str, int] = {}
        self.last_at: dict[str, float] = {}
        self.waiters: dict[str, asyncio.Future] = {}
        self.expect = size
        self.connect_retries = 0

    async def open(self):
        async def one(i):
            headers = {"Cookie": self.cookies[i]} if self.server == "neighbourly" else {}
            for attempt in range(6):  # as a real client: a dropped handshake is retried with back-off
                try:
                    origin = self.url.replace("ws://", "http://", 1).split("/ws")[0]  # same scheme, host and port
                    ws = await websockets.connect(self.url, origin=origin, additional_headers=headers,
                                                  ping_interval=None, max_size=2**22, open_timeout=60)
                    break
                except (OSError, websockets.InvalidMessage, websockets.InvalidStatus):
                    if attempt == 5:
                        raise
                    self.connect_retries += 1
                    await asyncio.sleep(0.2 * 2**attempt)
            if self.server == "neighbourly":
                await ws.send(json.dumps({"type": "subscribe", "stream": f"conversation:{self.conversation}"}))
                while json.loads(await ws.recv())["type"] != "subscribed":
                    pass
            return ws

        for start in range(0, self.size, 100):  # connect in batches
            self.sockets += await asyncio.gather(*(one(i) for i in range(start, min(start + 100, self.size))))
        self.tasks = [asyncio.ensure_future(self._read(ws)) for ws in self.sockets]
        await asyncio.sleep(0.5)

    async def _read(self, ws):
        try:
            async for raw in ws:
                frame = json.loads(raw)
                if frame.get("type") not in ("chat.message", "msg"):
                    continue
                marker = frame["body"]
                count = self.arrivals.get(marker, 0) + 1
                self.arrivals[marker] = count
                self.last_at[marker] = time.perf_counter()
                if count == self.expect:
                    waiter = self.waiters.get(marker)
                    if waiter is not None and not waiter.done():
                        waiter.set_result(True)
        except websockets.ConnectionClosed:
            pass

    async def send(self, marker):
        if self.server == "neighbourly":
            frame = {"type": "chat.send", "conversation": self.conversation, "body": marker, "client_id": marker}
        else:
            frame = {"type": "msg", "body": marker}
        await self.sockets[0].send(json.dumps(frame))

    async def latency(self, marker, timeout=10.0):
        self.waiters[marker] = asyncio.get_running_loop().create_future()
        started = time.perf_counter()
        await self.send(marker)
        try:
            await asyncio.wait_for(self.waiters[marker], timeout)
        except asyncio.TimeoutError:
            return None
        return self.last_at[marker] - started

    async def burst(self, prefix, count, timeout=60.0):
        markers = [f"{prefix}{k}" for k in range(count)]
        started = time.perf_counter()
        for marker in markers:
            await self.send(marker)
        deadline = time.perf_counter() + timeout
        total = self.size * count
        while time.perf_counter() < deadline:
            delivered = sum(self.arrivals.get(m, 0) for m in markers)
            if delivered >= total:
                break
            await asyncio.sleep(0.02)
            if delivered == sum(self.arrivals.get(m, 0) for m in markers) and time.perf_counter() - max(
                (self.last_at.get(m, started) for m in markers), default=started
            ) > 3:
                break  # nothing more for 3 s: the rest is lost
        delivered = sum(self.arrivals.get(m, 0) for m in markers)
        last = max((self.last_at.get(m, started) for m in markers), default=started)
        return delivered, total, max(last - started, 1e-9)

    async def close(self):
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


async def measure(server, url, pid, sizes, cookies, rooms, tag):
    result = {}
    for size in sizes:
        room = Room(server, size, f"{url}?room={size}", cookies, rooms.get(size, 0))
        before = rss_kb(pid)
        await room.open()
        await asyncio.sleep(0.5)
        after = rss_kb(pid)
        for k in range(3):  # warm-up
            await room.latency(f"w{tag}-{size}-{k}")
        samples = []
        for k in range(LATENCY_SAMPLES):
            value = await room.latency(f"l{tag}-{size}-{k}")
            samples.append(value if value is not None else float("inf"))
            await asyncio.sleep(0.02)
        entry = {"p50": percentile(samples, 50), "p95": percentile(samples, 95), "p99": percentile(samples, 99),
                 "kb_per_socket": (after - before) / size, "connect_retries": room.connect_retries}
        if size == 100:
            delivered, total, seconds = await room.burst(f"b{tag}-", BURST)
            entry.update(deliveries_per_s=delivered / seconds, burst_delivered=delivered, burst_total=total)
        result[size] = entry
        await room.close()
        await asyncio.sleep(0.5)
    return result


def start_server(server, port, env):
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") and os.cpu_count() > 1 else []
    if server == "bare":
        cmd = [sys.executable, str(ROOT / "bench/chat/bare_server.py"), str(port)]
    else:
        app = "bench.chat.minimal_asgi:application" if server == "channels" else "neighbourly.asgi:application"
        cmd = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "--verbosity", "0", app]
    log = open(Path(env["NEIGHBOURLY_DATA_DIR"]) / f"server-{server}.log", "ab")
    proc = subprocess.Popen(pin + cmd, cwd=ROOT, env=env, stdout=log, stderr=log)
    wait_port(port, proc)
    return proc


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", default="10,100,700,2000")
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--in-memory", action="store_true")
    parser.add_argument("--servers", default="bare,channels,neighbourly")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    servers = args.servers.split(",")
    if shutil.which("taskset") and os.cpu_count() > 1:
        os.sched_setaffinity(0, {1})

    work = Path(tempfile.mkdtemp(prefix="nb-bench-chat-"))
    redis = None
    env = {**os.environ, "NEIGHBOURLY_DATA_DIR": str(work), "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 50,
           "DJANGO_SETTINGS_MODULE": "bench.chat.settings_bench", "LOG_LEVEL": "ERROR", "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    if not args.in_memory:
        redis = subprocess.Popen(["redis-server", "--port", str(args.redis_port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no"], stdout=subprocess.DEVNULL)
        wait_port(args.redis_port, redis)
        env["REDIS_URL"] = f"redis://127.0.0.1:{args.redis_port}/0"
    try:
        rooms, cookies = seed_neighbourly(env, max(sizes), sizes)
        rounds = []
        for r in range(args.rounds):
            per_server = {}
            for server in servers:  # interleaved A/B/C within each round
                port = free_port()
                proc = start_server(server, port, env)
                try:
                    per_server[server] = asyncio.run(
                        measure(server, f"ws://127.0.0.1:{port}/ws/", proc.pid, sizes, cookies, rooms, f"{r}{server[0]}")
                    )
                except Exception:
                    log = Path(env["NEIGHBOURLY_DATA_DIR"]) / f"server-{server}.log"
                    print(f"{server} failed; its log ends:\n" + log.read_text(errors="replace")[-3000:], file=sys.stderr)
                    raise
                finally:
                    proc.terminate()
                    proc.wait(10)
            rounds.append(per_server)
            print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
        neighbourly_msgs = message_count(rooms[100]) if 100 in rooms and "neighbourly" in servers else None
        report(rounds, sizes, servers, neighbourly_msgs)
    finally:
        if redis is not None:
            redis.terminate()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)


def report(rounds, sizes, servers, neighbourly_msgs):
    med = statistics.median
    print("\n== absolute figures (context only; medians over rounds) ==")
    print(f"{'server':12} {'room':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'KB/socket':>10} {'deliv/s':>10}")
    for server in servers:
        for size in sizes:
            rows = [r[server][size] for r in rounds]
            dps = [x["deliveries_per_s"] for x in rows if "deliveries_per_s" in x]
            print(f"{server:12} {size:>5} {med(x['p50'] for x in rows) * 1e3:8.1f} {med(x['p95'] for x in rows) * 1e3:8.1f} "
                  f"{med(x['p99'] for x in rows) * 1e3:8.1f} {med(x['kb_per_socket'] for x in rows):10.1f} "
                  f"{(med(dps) if dps else 0):10.0f}")
    if "neighbourly" not in servers or "bare" not in servers:
        return
    print("\n== paired ratios (median over rounds) ==")
    for size in sizes:
        ratios = [r["neighbourly"][size]["p99"] / r["bare"][size]["p99"] for r in rounds]
        line = f"P5 room {size}: neighbourly p99 / bare p99 = {med(ratios):.2f}"
        if "channels" in servers:
            line += f"; channels p99 / bare p99 = {med(r['channels'][size]['p99'] / r['bare'][size]['p99'] for r in rounds):.2f}"
        print(line)
    if 100 in sizes:
        n6 = med(r["neighbourly"][100]["deliveries_per_s"] / r["bare"][100]["deliveries_per_s"] for r in rounds)
        line = f"P6 room 100: deliveries/s neighbourly / bare = {n6:.2f} (goal >= 0.25)"
        if "channels" in servers:
            c6 = med(r["channels"][100]["deliveries_per_s"] / r["bare"][100]["deliveries_per_s"] for r in rounds)
            line += f"; channels / bare = {c6:.2f}"
        print(line)
    for server in servers:
        ok = [s for s in sizes if med(r[server][s]["p95"] for r in rounds) <= 0.5]
        print(f"P7 {server}: largest measured room with p95 <= 500 ms: {max(ok) if ok else 'none'} (sizes {sizes})")
    retries = {s: sum(r["neighbourly"][s].get("connect_retries", 0) for r in rounds) for s in sizes}
    print(f"neighbourly handshakes dropped under the connect burst and retried (all rounds): {retries}")
    big = max(sizes)
    for server in servers:
        print(f"P8 {server}: {med(r[server][big]['kb_per_socket'] for r in rounds):.1f} KB per idle socket (room {big})")
    if 100 in sizes:
        for server in servers:
            lost = [r[server][100]["burst_total"] - r[server][100]["burst_delivered"] for r in rounds]
            print(f"P9 {server}: deliveries missing live after bursts of {BURST} in room 100: {lost}")
        if neighbourly_msgs is not None:
            expected = (3 + LATENCY_SAMPLES + BURST) * len(rounds)
            print(f"P9 neighbourly: messages stored in room 100 = {neighbourly_msgs} of {expected} sent "
                  "(every stored message is recoverable by resync; lost after resync = sent - stored)")


if __name__ == "__main__":
    main()
