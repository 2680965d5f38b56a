"""Reference 1: a bare `websockets` server; a message to a room goes out with websockets.broadcast()."""

import asyncio
from collections import defaultdict
import sys
from urllib.parse import parse_qs, urlparse

import websockets

rooms: dict[str, set] = defaultdict(set)


async def handler(ws):
    room = parse_qs(urlparse(ws.request.path).query).get("room", ["0"])[0]
    rooms[room].add(ws)
    try:
        async for message in ws:
            websockets.broadcast(rooms[room], message)
    finally:
        rooms[room].discard(ws)


async def main(port: int):
    async with websockets.serve(handler, "127.0.0.1", port, ping_interval=None, max_size=2**20):
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
