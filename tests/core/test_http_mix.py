"""QUALITY.md "Load held": an HTTP mix (feed reads, posts, photo uploads, comments) against a real
daphne on PostgreSQL + Redis, from several residents at once, answers no 5xx, and every post the
server said it created (201) is stored exactly once. A 15-second version runs on every CI run; the
minute-long one is marked slow."""

from concurrent.futures import ThreadPoolExecutor
import io
import random
import time

from PIL import Image
import pytest
import requests

from neighbourly.accounts.services import api_token_create
from neighbourly.feed.models import Post
from tests.communities.factories import MembershipFactory
from tests.realtime.test_scale_out import (  # noqa: F401 - fixtures
    DaphneServer,
    daphne_env,
    pytestmark,
    redis_server,
)


@pytest.fixture
def daphne_http(redis_server, tmp_path):  # noqa: F811
    server = DaphneServer(daphne_env(redis_server, tmp_path))
    server.start()
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (random.randrange(256), 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def _resident_session(base: str, membership) -> requests.Session:
    _, raw = api_token_create(user=membership.user, name="mix")
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {raw}"
    session.base = base
    return session


def _one_round(session, slug: str, rng: random.Random, created: list[int], statuses: list[int]):
    base = session.base
    roll = rng.random()
    if roll < 0.6:
        response = session.get(f"{base}/api/v1/communities/{slug}/feed", timeout=30)
    elif roll < 0.85 or not created:
        response = session.post(f"{base}/api/v1/communities/{slug}/posts", timeout=30,
                                json={"kind": "general", "title": f"Mix {rng.random():.6f}", "body": "Hello"})
        if response.status_code == 201:
            created.append(response.json()["id"])
    elif roll < 0.95:
        response = session.post(f"{base}/api/v1/posts/{rng.choice(created)}/images", timeout=30,
                                files={"file": ("photo.jpg", _jpeg(), "image/jpeg")})
    else:
        response = session.post(f"{base}/api/v1/posts/{rng.choice(created)}/comments", timeout=30,
                                json={"body": "Lovely"})
    statuses.append(response.status_code)


def _run_mix(base: str, community, seconds: float):
    sessions = [_resident_session(base, MembershipFactory(community=community, verified=True)) for _ in range(8)]
    statuses: list[int] = []
    created: list[int] = []
    deadline = time.monotonic() + seconds

    def worker(index: int):
        rng, session = random.Random(index), sessions[index]
        mine: list[int] = []
        while time.monotonic() < deadline:
            _one_round(session, community.slug, rng, mine, statuses)
        created.extend(mine)

    with ThreadPoolExecutor(len(sessions)) as pool:
        list(pool.map(worker, range(len(sessions))))
    return statuses, created


def _assert_healthy(statuses, created, community):
    assert len(statuses) > 50, "the mix hardly ran"
    server_errors = [s for s in statuses if s >= 500]
    assert not server_errors, f"{len(server_errors)} of {len(statuses)} answers were 5xx"
    assert sorted(created) == sorted(Post.objects.filter(community=community, title__startswith="Mix ")
                                     .values_list("id", flat=True))


def test_http_mix_15_seconds_no_5xx(daphne_http, community):
    statuses, created = _run_mix(daphne_http, community, seconds=15)
    _assert_healthy(statuses, created, community)


@pytest.mark.slow
def test_http_mix_one_minute_no_5xx(daphne_http, community):
    statuses, created = _run_mix(daphne_http, community, seconds=60)
    _assert_healthy(statuses, created, community)
