"""`neighbourly serve` from an empty data dir: migrates, seeds once, serves pages, API, static files.

Runs the real command in a subprocess on the embedded default (its own data dir), twice, to show
that a second start neither fails nor duplicates the demo.
"""

import os
import socket
import subprocess
import sys
import time
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


def start_serve(data_dir: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY",
                         "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env["NEIGHBOURLY_DATA_DIR"] = str(data_dir)
    return subprocess.Popen([sys.executable, "-m", "neighbourly.cli", "serve", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_until_up(process: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited early:\n{process.stdout.read()}")
        try:
            fetch(f"http://127.0.0.1:{port}/healthz")
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail("serve did not answer within 90 s")


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        out, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out


def test_serve_twice_seeds_once_and_serves(tmp_path):
    port = free_port()
    first = start_serve(tmp_path, port)
    try:
        wait_until_up(first, port)
        assert fetch(f"http://127.0.0.1:{port}/")[0] == 200
        status, body = fetch(f"http://127.0.0.1:{port}/api/v1/communities")
        assert (status, body) == (200, b'[{"slug": "millbrook", "name": "Millbrook"}, '
                                        b'{"slug": "riverside", "name": "Riverside"}]')
        assert fetch(f"http://127.0.0.1:{port}/static/css/app.css")[0] == 200
        assert fetch(f"http://127.0.0.1:{port}/static/django_htmx/htmx-2.min.js")[0] == 200
    finally:
        out = stop(first)
    assert "seeding the demo" in out and "resident@demo.neighbourly.test" in out and f":{port}/" in out

    second = start_serve(tmp_path, port)
    try:
        wait_until_up(second, port)
        status, body = fetch(f"http://127.0.0.1:{port}/api/v1/communities")
        assert body.count(b"millbrook") == 1
    finally:
        out = stop(second)
    assert "seeding the demo" not in out and "Demo logins" in out
