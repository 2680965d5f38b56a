"""A transactional outbox: background work is never lost to a broker outage, and never fails a request.

`outbox_enqueue(task, *args)` writes an `OutboxTask` row in the caller's transaction. After the
commit it tries to publish it at once (scale-out: `apply_async` to the broker; embedded mode: runs
the task inline) and deletes the row when that worked. When it did not (Redis down, SMTP down in
the embedded mode, a full disk), the request still succeeds: the row stays, and `outbox_drain()`
(the `core-outbox-drain` beat entry every minute; a thread of `neighbourly serve` in the embedded
mode) publishes it again once the broker is back. A row is deleted only after the broker accepted
it, so a crash in between publishes it twice: every task sent this way is idempotent.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.db import connection, transaction
from django.utils import timezone

from neighbourly.core.models import OutboxTask

logger = logging.getLogger(__name__)
DRAIN_AFTER = timedelta(seconds=30)  # younger rows are still being published by their own request
DRAIN_BATCH = 500


def outbox_enqueue(task, *args) -> OutboxTask:
    """Run `task(*args)` after the current transaction commits, once the broker can take it."""
    row = OutboxTask.objects.create(task=task.name, args=list(args))
    transaction.on_commit(lambda: outbox_publish(row), robust=True)
    return row


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def outbox_publish(row: OutboxTask) -> bool:
    """Hand one row to the broker (or run it, embedded) and delete it; False (row kept) on failure."""
    task = current_app.tasks[row.task]
    try:
        if _eager():
            task.apply(args=row.args, throw=True)
        else:
            # No publish retries: a broker that is down must not hold the request; the drain retries.
            task.apply_async(args=row.args, retry=False)
    except Exception as exc:  # noqa: BLE001 - whatever failed, the row stays for the drain
        logger.warning("outbox: %s(%s) not published (attempt %s): %r", row.task, row.args, row.attempts + 1, exc)
        OutboxTask.objects.filter(pk=row.pk).update(attempts=row.attempts + 1, last_error=repr(exc)[:300])
        return False
    OutboxTask.objects.filter(pk=row.pk).delete()
    return True


def outbox_drain(*, older_than: timedelta = DRAIN_AFTER) -> tuple[int, int]:
    """Publish whatever earlier attempts left behind; returns (published, still pending)."""
    rows = OutboxTask.objects.filter(created_at__lte=timezone.now() - older_than).order_by("id")
    if _eager():
        # Each task runs inline in its own transactions, so none is held open around it.
        results = [outbox_publish(row) for row in rows[:DRAIN_BATCH]]
    else:
        results = []
        with transaction.atomic():
            if connection.features.has_select_for_update_skip_locked:
                rows = rows.select_for_update(skip_locked=True)  # two drains never take the same row
            for row in rows[:DRAIN_BATCH]:
                results.append(outbox_publish(row))
                if not results[-1]:
                    break  # the broker is still down: the rest waits for the next run
    published, failed = results.count(True), results.count(False)
    if results:
        logger.info("outbox: %s published, %s still pending", published, failed)
    return published, failed


def start_embedded_drainer(*, interval: float = 60.0, older_than: timedelta = DRAIN_AFTER, also=()):
    """The embedded mode has no beat: a daemon thread drains the outbox every `interval` seconds,
    then runs each callable of `also` (other periodic work the shell hands it, each independent).
    Returns an Event that stops it."""
    import threading

    from django.db import close_old_connections

    stop = threading.Event()

    def run():
        while not stop.wait(interval):
            try:
                close_old_connections()
                outbox_drain(older_than=older_than)
            except Exception:
                logger.exception("outbox: drain failed")  # and try again next time
            for job in also:
                try:
                    job()
                except Exception:
                    logger.exception("embedded periodic job %s failed", getattr(job, "__name__", job))
        close_old_connections()

    threading.Thread(target=run, name="outbox-drain", daemon=True).start()
    return stop
