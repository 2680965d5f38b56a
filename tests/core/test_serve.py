"""`neighbourly serve` from an empty data dir: migrates, seeds once, serves pages, API, static files.

Runs the real command in a subprocess on the embedded default (its own data dir), twice, to show
that a second start neither fails nor duplicates the demo. The first run also shows, under the
real daphne, that an oversized body is refused before it is read and that only the configured
proxy's X-Forwarded-For entry counts for login throttling.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def start_serve(data_dir: Path, port: int, **extra_env) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY",
                         "DJANGO_ALLOW_ASYNC_UNSAFE", "SITE_URL", "NEIGHBOURLY_BASE_URL", "PROXY_COUNT")}
    env.update(NEIGHBOURLY_DATA_DIR=str(data_dir), **extra_env)
    return subprocess.Popen([sys.executable, "-m", "neighbourly.cli", "serve", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_until_up(process: subprocess.Popen, port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited early:\n{process.stdout.read()}")
        try:
            fetch(f"http://127.0.0.1:{port}/healthz")
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"serve did not answer within {timeout} s")


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        out, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out


def raw_request(port: int, head: bytes, body_chunks=(), timeout: float = 5.0) -> bytes:
    """Send a request head and as much of the body as the server takes; return what it answered."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head)
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except OSError:
            pass  # the server stopped reading (and closed): its answer is already waiting
        answer = b""
        try:
            while b"\r\n\r\n" not in answer or len(answer) < 200:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
        except OSError:
            pass
        return answer


def oversized_bodies_are_refused_before_reading(port: int) -> None:
    big = 60 * 1024 * 1024
    started = time.monotonic()
    answer = raw_request(port, b"POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\n"
                               b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % big,
                         [b"x" * 65536])  # 64 KB of the announced 60 MB: the answer must not wait for more
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert answer.endswith(b'{"detail": "The request is too large."}')
    assert time.monotonic() - started < 4
    chunk = b"x" * (1024 * 1024)
    chunked = (b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(40))  # 40 MB, no Content-Length
    answer = raw_request(port, b"POST /signup/ HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n",
                         chunked, timeout=10)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def post_json(url: str, data: dict, headers: dict) -> int:
    request = urllib.request.Request(url, json.dumps(data).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def csrf_headers(port: int) -> dict:
    """Login wants the CSRF token as a browser would send it: cookie plus X-CSRFToken header."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/auth/csrf", timeout=10) as response:
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
        token = json.loads(response.read())["csrf_token"]
    return {"Cookie": cookie, "X-CSRFToken": token}


def forged_forwarded_for_does_not_dodge_the_login_limit(port: int) -> None:
    """PROXY_COUNT=1: the client is the right-most X-Forwarded-For entry (what our proxy saw);
    a client rotating the left-most entry is still one address and gets locked after 5 failures."""
    base = f"http://127.0.0.1:{port}/api/v1/auth/login"
    csrf = csrf_headers(port)
    statuses = [
        post_json(base, {"email": f"guess{i}@example.org", "password": "wrong-password-1"},
                  {"X-Forwarded-For": f"10.99.{i}.1, 203.0.113.7", **csrf})
        for i in range(6)
    ]
    assert statuses[:5] != [429] * 5 and statuses[5] == 429, statuses
    other = post_json(base, {"email": "someone@example.org", "password": "wrong-password-1"},
                      {"X-Forwarded-For": "203.0.113.7, 198.51.100.20", **csrf})
    assert other != 429  # another real client is not locked by them


def test_serve_twice_seeds_once_and_serves(tmp_path):
    port = free_port()
    first = start_serve(tmp_path, port, PROXY_COUNT="1")
    try:
        wait_until_up(first, port)
        assert fetch(f"http://127.0.0.1:{port}/")[0] == 200
        status, body = fetch(f"http://127.0.0.1:{port}/api/v1/communities")
        assert (status, body) == (200, b'[{"slug": "millbrook", "name": "Millbrook"}, '
                                        b'{"slug": "riverside", "name": "Riverside"}]')
        assert fetch(f"http://127.0.0.1:{port}/static/css/app.css")[0] == 200
        assert fetch(f"http://127.0.0.1:{port}/static/django_htmx/htmx-2.min.js")[0] == 200
        oversized_bodies_are_refused_before_reading(port)
        forged_forwarded_for_does_not_dodge_the_login_limit(port)
    finally:
        out = stop(first)
    assert "seeding the demo" in out and "resident@demo.neighbourly.test" in out
    before_banner = out[:out.index(f"Neighbourly is running at http://localhost:{port}/")].strip().splitlines()
    assert len(before_banner) < 15, out  # the address and logins come last, not after ~170 lines of logs

    second = start_serve(tmp_path, port)
    try:
        wait_until_up(second, port)
        status, body = fetch(f"http://127.0.0.1:{port}/api/v1/communities")
        assert body.count(b"millbrook") == 1
    finally:
        out = stop(second)
    lines = [line for line in out.strip().splitlines() if line.strip()]
    assert "seeding the demo" not in out and "Demo logins" in out
    assert lines[-2:] == [f"Neighbourly is running at http://localhost:{port}/", "Press Ctrl+C to stop."], out
