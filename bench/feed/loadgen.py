"""A small HTTP/1.1 keep-alive load generator (asyncio), run pinned to its own core.

    loadgen.py closed URL CONNS SECONDS [HEADER...]   -> {"rps", "p50", "p99", "n", "errors"}
    loadgen.py open URL RATE SECONDS [HEADER...]      -> open loop: requests start on a fixed schedule;
                                                          latency counts from the scheduled start
Latencies in milliseconds. Only status 200 counts as success.
"""

import asyncio
import json
import sys
import time
from urllib.parse import urlsplit


class Conn:
    def __init__(self, host, port, request: bytes):
        self.host, self.port, self.request = host, port, request
        self.reader = self.writer = None

    async def call(self) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(self.request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        chunked = False
        for line in head.split(b"\r\n"):
            low = line.lower()
            if low.startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
            elif low.startswith(b"transfer-encoding:") and b"chunked" in low:
                chunked = True
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            await self.reader.readexactly(length)
        if b"connection: close" in head.lower():
            self.writer.close()
            self.writer = None
        return status


def build(url: str, headers: list[str]):
    parts = urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    lines = [f"GET {path} HTTP/1.1", f"Host: {parts.hostname}:{parts.port}", "Connection: keep-alive", *headers]
    return parts.hostname, parts.port, ("\r\n".join(lines) + "\r\n\r\n").encode()


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


async def closed(url, conns, seconds, headers):
    host, port, req = build(url, headers)
    lat, errors = [], 0
    deadline = time.perf_counter() + seconds

    async def worker():
        nonlocal errors
        conn = Conn(host, port, req)
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            try:
                status = await conn.call()
            except (OSError, asyncio.IncompleteReadError):
                errors += 1
                conn.writer = None
                continue
            if status != 200:
                errors += 1
            lat.append((time.perf_counter() - t) * 1000)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(conns)))
    elapsed = time.perf_counter() - start
    return {"rps": len(lat) / elapsed, "p50": pct(lat, 50), "p99": pct(lat, 99), "n": len(lat), "errors": errors}


async def open_loop(url, rate, seconds, headers):
    host, port, req = build(url, headers)
    idle: list[Conn] = []
    lat, errors = [], 0
    total = int(rate * seconds)
    start = time.perf_counter()

    async def one(scheduled):
        nonlocal errors
        conn = idle.pop() if idle else Conn(host, port, req)
        try:
            status = await conn.call()
            if status != 200:
                errors += 1
        except (OSError, asyncio.IncompleteReadError):
            errors += 1
            conn.writer = None
        lat.append((time.perf_counter() - scheduled) * 1000)
        idle.append(conn)

    tasks = []
    for i in range(total):
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(scheduled)))
    await asyncio.gather(*tasks)
    return {"rate": rate, "p50": pct(lat, 50), "p99": pct(lat, 99), "n": len(lat), "errors": errors}


def main():
    mode, url, arg, seconds, *headers = sys.argv[1:]
    if mode == "closed":
        result = asyncio.run(closed(url, int(arg), float(seconds), headers))
    else:
        result = asyncio.run(open_loop(url, float(arg), float(seconds), headers))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
