"""Broker outages never fail a request (QUALITY.md "the broker down while requests enqueue"): with
our own Redis killed, an image upload succeeds, its thumbnail task waits in the outbox, and once
Redis is back the drain publishes it exactly once and a real worker runs it."""

import io
import shutil
import time
from datetime import timedelta

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from neighbourly.celery import app
from neighbourly.core.models import OutboxTask
from neighbourly.core.outbox import outbox_drain
from neighbourly.feed.models import PostImage
from tests.core.servers import RedisServer, celery_publishing_to
from tests.feed.factories import PostFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server on PATH for its own Redis"),
]


@pytest.fixture
def broker(settings, tmp_path):
    """Celery publishing to our own Redis (not eager) for the length of the test."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    server = RedisServer()
    server.start()
    try:
        with celery_publishing_to(server.url):
            yield server
    finally:
        server.stop()


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_upload_with_the_broker_down_succeeds_and_its_task_runs_once_it_is_back(broker, member, api_as):
    post = PostFactory(author=member.user, community=member.community)
    api = api_as(member.user)
    api.get_json(f"/posts/{post.pk}")  # warm up: the first request imports every URL and schema
    broker.stop()
    started = time.monotonic()
    response = api.post(f"/api/v1/posts/{post.pk}/images", {"file": jpeg()})
    assert response.status_code == 201, response.content  # old code: 500, and the task was never queued
    assert time.monotonic() - started < 3  # a dead broker does not hold the request
    image = PostImage.objects.get()
    pending = OutboxTask.objects.get()
    assert (pending.task, pending.args, pending.attempts) == (
        "neighbourly.feed.tasks.post_image_thumbnail_task", [image.pk], 1)

    assert outbox_drain(older_than=timedelta(0)) == (0, 1)  # still down: kept
    broker.start()  # Redis is back (empty: it kept nothing)
    assert outbox_drain(older_than=timedelta(0)) == (1, 0)
    assert outbox_drain(older_than=timedelta(0)) == (0, 0)
    assert OutboxTask.objects.exists() is False
    assert redis.Redis(port=broker.port).llen("celery") == 1  # published exactly once

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not PostImage.objects.get().thumbnail:
            time.sleep(0.1)
    image.refresh_from_db()
    assert image.thumbnail
    assert redis.Redis(port=broker.port).llen("celery") == 0
