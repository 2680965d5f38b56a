"""The embedded mode (eager Celery, no beat): work that failed after the commit stays in the outbox
and `neighbourly serve`'s drain thread runs it later."""

import time
from datetime import timedelta

import pytest
from django.core import mail

from neighbourly.core.models import OutboxTask
from neighbourly.core.outbox import outbox_enqueue, start_embedded_drainer
from neighbourly.notifications.models import Kind, Notification
from neighbourly.notifications.services import notification_send
from neighbourly.notifications.tasks import notification_email_task
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failed_task_stays_and_the_drain_thread_runs_it(settings):
    user = UserFactory()
    notification = notification_send(recipient=user, kind=Kind.REACTION, title="ok")  # not e-mailed by itself
    settings.EMAIL_BACKEND = "tests.core.test_outbox_embedded.BrokenBackend"
    outbox_enqueue(notification_email_task, notification.pk)  # autocommit: published at once, and fails
    row = OutboxTask.objects.get()
    assert row.attempts == 1 and "mail server down" in row.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    stop = start_embedded_drainer(interval=0.05, older_than=timedelta(0))
    try:
        deadline = time.monotonic() + 10
        while OutboxTask.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
    assert OutboxTask.objects.exists() is False
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=notification.pk).emailed_at is not None


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_the_drain_thread_also_runs_the_periodic_jobs_it_is_given():
    runs = []

    def broken():
        runs.append(1)
        raise RuntimeError("this job fails")

    stop = start_embedded_drainer(interval=0.05, also=[broken, lambda: runs.append(2)])
    try:
        deadline = time.monotonic() + 10
        while runs.count(2) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
    assert runs[:4] == [1, 2, 1, 2]  # a failing job neither stops the thread nor the next job
