"""E-mail delivery under faults: an SMTP outage never fails the request and the e-mail is sent
later, once; a claimed e-mail is sent by one run only (a lease a killed worker's claim outlives)."""

import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from neighbourly.core.models import OutboxTask
from neighbourly.core.outbox import outbox_drain
from neighbourly.notifications import services
from neighbourly.notifications.models import Kind, Notification
from neighbourly.verification.models import Method
from tests.accounts.factories import UserFactory
from tests.verification.factories import PDF, make_claim


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once it is closed: connection refused


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False

    def back_up():
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    return back_up


@pytest.mark.django_db(transaction=True)
def test_smtp_outage_does_not_fail_a_moderators_decision(community, moderator, api_as, smtp_down, tmp_path,
                                                          settings):
    """Old code (embedded mode, eager Celery): the decision was saved, the answer was a 500 and
    the e-mail was lost."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    claim = make_claim(community=community, method=Method.DOCUMENT)
    api_as(claim.user).post(f"/api/v1/verification/claims/{claim.pk}/document",
                            {"file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")})
    response = api_as(moderator.user).post_json(f"/verification/claims/{claim.pk}/decision", {"approve": True})
    assert response.status_code == 200 and response.json()["status"] == "verified"
    notification = Notification.objects.get(recipient=claim.user, kind=Kind.VERIFICATION)
    assert notification.emailed_at is None and notification.email_claimed_at is None  # claim released
    pending = OutboxTask.objects.get()
    assert pending.attempts == 1 and "Connection refused" in pending.last_error

    assert outbox_drain(older_than=timedelta(0)) == (0, 1)  # still down: kept, nothing lost
    smtp_down()  # the mail server is back
    assert outbox_drain(older_than=timedelta(0)) == (1, 0)
    assert outbox_drain(older_than=timedelta(0)) == (0, 0)
    assert [m.to for m in mail.outbox] == [[claim.user.email]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@pytest.mark.django_db
def test_a_live_claim_is_never_overtaken_and_an_expired_one_is():
    user = UserFactory()
    notification = services.notification_send(recipient=user, kind=Kind.VERIFICATION, title="You are verified")
    Notification.objects.filter(pk=notification.pk).update(email_claimed_at=timezone.now())  # a worker is sending
    with pytest.raises(services.EmailBusy) as busy:
        services.notification_email(notification_id=notification.pk)
    assert 290 < busy.value.retry_in <= 300
    assert mail.outbox == []
    # That worker was killed: once its lease is over, the next run sends, and no run after it.
    Notification.objects.filter(pk=notification.pk).update(
        email_claimed_at=timezone.now() - services.EMAIL_LEASE - timedelta(seconds=1))
    assert services.notification_email(notification_id=notification.pk) is True
    assert services.notification_email(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_send_releases_the_claim_for_the_retry(smtp_down):
    user = UserFactory()
    notification = services.notification_send(recipient=user, kind=Kind.VERIFICATION, title="You are verified")
    with pytest.raises(OSError):
        services.notification_email(notification_id=notification.pk)
    notification.refresh_from_db()
    assert (notification.emailed_at, notification.email_claimed_at) == (None, None)
    smtp_down()
    assert services.notification_email(notification_id=notification.pk) is True


@pytest.mark.django_db
def test_digest_send_failure_releases_its_claim(smtp_down):
    user = UserFactory()
    services.notification_send(recipient=user, kind=Kind.REPLY, title="Sam replied")
    day = timezone.localdate()
    with pytest.raises(OSError):
        services.digests_send_due(day=day)
    smtp_down()
    assert services.digests_send_due(day=day) == 1  # retried at once, not after the lease
    assert services.digests_send_due(day=day) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_unsent_immediate_emails_are_queued_again(smtp_down):
    """A task that ran out of retries (or a lost message): the beat sweep queues the e-mail again."""
    user = UserFactory()
    urgent = services.notification_send(recipient=user, kind=Kind.VERIFICATION, title="You are verified")
    services.notification_send(recipient=user, kind=Kind.REPLY, title="for the digest")
    OutboxTask.objects.all().delete()  # as if the retries were used up
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    smtp_down()
    assert services.notifications_email_unsent() == 1
    assert [m.subject for m in mail.outbox] == ["[Neighbourly] You are verified"]
    urgent.refresh_from_db()
    assert urgent.emailed_at is not None
    assert services.notifications_email_unsent() == 0
