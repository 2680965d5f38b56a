"""QUALITY.md "a Celery child and a whole worker SIGKILLed mid-task, the effect happening exactly
once", for real: worker subprocesses on the test PostgreSQL database and our own Redis, killed while
the notification e-mail is being sent (a slow file backend), then a worker that finishes the job."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from neighbourly.notifications.models import Kind, Notification
from neighbourly.notifications.services import notification_send
from tests.accounts.factories import UserFactory
from tests.core.servers import RedisServer, celery_publishing_to, database_url

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"),
                       reason="worker subprocesses share the test database: needs PostgreSQL (DATABASE_URL)"),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server on PATH for its own Redis"),
]
ROOT = Path(__file__).resolve().parents[2]
LEASE, VISIBILITY, SEND_SECONDS = 6, 4, 2


class Worker:
    def __init__(self, env):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "neighbourly.celery", "worker", "--pool=prefork",
             "--concurrency=1", "--without-mingle", "--without-gossip", "--loglevel=WARNING"],
            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)  # the main process and its child, no goodbyes
        self.proc.wait(10)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(check, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def setup(tmp_path):
    server = RedisServer()
    server.start()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.core.worker_settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": server.url,
        "SECRET_KEY": settings.SECRET_KEY,
        "NEIGHBOURLY_DATA_DIR": str(tmp_path / "data"),
        "EMAIL_LEASE_SECONDS": str(LEASE),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
        "CELERY_RESTORE_INTERVAL": "1",
        "SLOW_MAIL_DIR": str(mail_dir),
        "SLOW_MAIL_SECONDS": str(SEND_SECONDS),
    }
    workers = []

    def start_worker():
        workers.append(Worker(env))
        return workers[-1]

    try:
        with celery_publishing_to(server.url):
            yield start_worker, mail_dir
    finally:
        for worker in workers:
            worker.stop()
        server.stop()


def starts(mail_dir):
    return sorted(mail_dir.glob("start-*"))


def sent(mail_dir):
    return sorted(mail_dir.glob("sent-*"))


def test_pool_child_killed_mid_send_the_email_goes_once(setup):
    start_worker, mail_dir = setup
    user = UserFactory()
    # The pool child is SIGKILLed mid-send: the worker replaces it and the task comes back.
    worker = start_worker()
    first = notification_send(recipient=user, kind=Kind.VERIFICATION, title="First")
    started = wait_for(lambda: starts(mail_dir))
    child_pid = int(started[0].name.split("-")[1])
    assert child_pid != worker.proc.pid
    os.kill(child_pid, signal.SIGKILL)
    wait_for(lambda: Notification.objects.get(pk=first.pk).emailed_at)
    time.sleep(LEASE + 1)  # a duplicate, if any, would have had its chance
    messages = [p.read_bytes() for p in sent(mail_dir)]
    assert len(messages) == 1 and b"Subject: [Neighbourly] First" in messages[0]


def test_whole_worker_killed_mid_send_the_email_goes_once(setup):
    start_worker, mail_dir = setup
    user = UserFactory()
    worker = start_worker()
    # The whole worker is SIGKILLed mid-send: another worker takes the task back (visibility
    # timeout) and the claim over (lease), and sends it once.
    second = notification_send(recipient=user, kind=Kind.VERIFICATION, title="Second")
    wait_for(lambda: starts(mail_dir))
    worker.kill()
    assert len(sent(mail_dir)) == 0
    start_worker()
    wait_for(lambda: Notification.objects.get(pk=second.pk).emailed_at)
    time.sleep(LEASE + 1)  # a duplicate, if any, would have had its chance
    messages = [p.read_bytes() for p in sent(mail_dir)]
    assert len(messages) == 1 and b"Subject: [Neighbourly] Second" in messages[0]
