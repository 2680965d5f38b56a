"""QUALITY.md "PostgreSQL connections terminated (pg_terminate_backend) during requests": the request
whose connection is killed fails cleanly (a 5xx, nothing half-written), the next ones succeed.

Through a real server thread (`live_server`): Django's test client skips the connection checks
that run at the start and end of every real request. (Between requests there is nothing to test
here: the live server opens a connection per request; with CONN_MAX_AGE in production,
CONN_HEALTH_CHECKS replaces a dead one at the start of the next request.)"""

import json
import os
import urllib.error
import urllib.request

import pytest
from django.core.signals import request_started
from django.db import connection

from neighbourly.accounts.services import api_token_create
from tests.accounts.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="pg_terminate_backend needs PostgreSQL"),
]


def terminate(*, pid: int) -> int:
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                         password=db.get("PASSWORD") or None, dbname=db["NAME"], autocommit=True) as other:
        return int(other.execute("SELECT pg_terminate_backend(%s)::int", [pid]).fetchone()[0])


def call(live_server, token: str, method: str = "GET", body: dict | None = None) -> int:
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/me", method=method, data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def session(live_server):
    user = UserFactory()
    _, token = api_token_create(user=user, name="test")  # a bearer token: no CSRF dance
    assert call(live_server, token) == 200  # the server thread now holds a connection
    return user, token


def test_connection_terminated_during_a_request(live_server, session):
    user, token = session

    def kill_mine(**kwargs):  # runs in the server thread after Django's own request_started checks
        request_started.disconnect(kill_mine)
        connection.ensure_connection()
        terminate(pid=connection.connection.info.backend_pid)

    request_started.connect(kill_mine, weak=False)
    try:
        status = call(live_server, token, "PATCH", {"display_name": "Renamed"})
    finally:
        request_started.disconnect(kill_mine)
    assert 500 <= status < 600
    user.profile.refresh_from_db()
    assert user.profile.display_name != "Renamed"  # nothing half-done
    assert [call(live_server, token) for _ in range(3)] == [200, 200, 200]
    assert call(live_server, token, "PATCH", {"display_name": "Renamed"}) == 200
