import logging
import socket

import pytest
from celery.exceptions import Retry
from django.core import mail

from neighbourly.accounts import services
from neighbourly.accounts.models import User
from neighbourly.accounts.tasks import account_mail_send_task
from neighbourly.accounts.tokens import email_confirm_token_make
from neighbourly.core.errors import ApplicationError, Conflict
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-secret-phrase"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once the socket closes


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2


def test_confirming_sets_the_timestamp_and_the_link_works_once():
    user = UserFactory(email_confirmed_at=None)
    token = email_confirm_token_make(user=user)
    assert services.email_confirm(token=token).email_confirmed
    with pytest.raises(ApplicationError, match="used already"):
        services.email_confirm(token=token)


def test_an_expired_link_is_refused(settings):
    user = UserFactory(email_confirmed_at=None)
    token = email_confirm_token_make(user=user)
    settings.EMAIL_CONFIRM_TIMEOUT = -1  # any age is past it
    with pytest.raises(ApplicationError, match="expired"):
        services.email_confirm(token=token)
    user.refresh_from_db()
    assert user.email_confirmed is False


@pytest.mark.parametrize("mangle", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "x" + t,
                                    lambda t: "", lambda t: "a:b:c", lambda t: "\x00" * 50])
def test_a_tampered_link_is_refused(mangle):
    user = UserFactory(email_confirmed_at=None)
    with pytest.raises(ApplicationError, match="not valid"):
        services.email_confirm(token=mangle(email_confirm_token_make(user=user)))


def test_a_confirmation_link_dies_when_the_address_changes():
    user = UserFactory(email="a@example.org", email_confirmed_at=None)
    old_link = email_confirm_token_make(user=user)
    change = email_confirm_token_make(user=user, email="b@example.org")
    assert services.email_confirm(token=change).email == "b@example.org"
    with pytest.raises(ApplicationError):
        services.email_confirm(token=old_link)


def test_an_email_change_link_fails_cleanly_if_someone_took_the_address_meanwhile():
    user = UserFactory(email="a@example.org")
    token = email_confirm_token_make(user=user, email="b@example.org")
    UserFactory(email="b@example.org")
    with pytest.raises(Conflict):
        services.email_confirm(token=token)
    user.refresh_from_db()
    assert user.email == "a@example.org"


def test_signup_validates_the_same_way_for_taken_and_new_addresses():
    UserFactory(email="taken@example.org")
    for email in ("taken@example.org", "new@example.org"):
        with pytest.raises(ApplicationError, match="too common"):
            services.user_signup(email=email, password="password123", display_name="Sam")
    assert User.objects.count() == 1


def test_smtp_down_at_signup_keeps_the_account_and_logs(smtp_down, caplog, django_capture_on_commit_callbacks):
    with (caplog.at_level(logging.WARNING, logger="neighbourly.accounts.tasks"),
          django_capture_on_commit_callbacks(execute=True)):
        services.user_signup(email="sam@example.org", password=PASSWORD, display_name="Sam")
    assert User.objects.filter(email="sam@example.org").exists()
    assert "Confirm your e-mail address" in caplog.text and "not sent" in caplog.text


def test_smtp_down_at_password_reset_does_not_fail(smtp_down, django_capture_on_commit_callbacks):
    UserFactory(email="me@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.password_reset_request(email="me@example.org")


def test_with_a_worker_the_send_is_retried_with_backoff(smtp_down):
    """Outside the embedded mode the task asks Celery to try again later instead of giving up."""
    kwargs = {"to": "me@example.org", "subject": "Reset your password", "body": "…"}
    account_mail_send_task.push_request(is_eager=False, retries=2, called_directly=False, args=[], kwargs=kwargs)
    try:
        with pytest.raises(Retry) as raised:
            account_mail_send_task.run(**kwargs)
    finally:
        account_mail_send_task.pop_request()
    assert raised.value.when == 120
    assert mail.outbox == []


def test_password_change_needs_the_current_password():
    user = UserFactory()
    with pytest.raises(ApplicationError, match="not correct"):
        services.password_change(request=None, user=user, current_password="nope", new_password="a-new-long-phrase")
    user.refresh_from_db()
    assert not user.check_password("a-new-long-phrase")


def test_createsuperuser_makes_a_confirmed_admin_with_a_profile(client):
    admin = User.objects.create_superuser("admin@example.org", "an-admin-phrase")
    assert admin.profile.display_name == "Site admin" and admin.email_confirmed_at is not None
    client.force_login(admin)
    assert client.get("/account/").status_code == 200


def test_password_reset_for_an_account_without_a_profile(django_capture_on_commit_callbacks):
    """An account without a profile (one made by hand): the reset mail still goes out."""
    User.objects.create_user("admin@example.org", "an-admin-phrase")
    with django_capture_on_commit_callbacks(execute=True):
        services.password_reset_request(email="admin@example.org")
    assert mail.outbox[0].body.startswith("Hello there,")


def test_api_token_touch_records_use_at_most_every_five_minutes():
    from datetime import timedelta

    from django.utils import timezone

    from neighbourly.accounts.models import ApiToken

    token, _ = services.api_token_create(user=UserFactory(), name="script")
    now = timezone.now()
    services.api_token_touch(token=token, now=now)
    assert ApiToken.objects.get().last_used_at == now
    services.api_token_touch(token=token, now=now + timedelta(minutes=4))  # too soon: no write
    assert ApiToken.objects.get().last_used_at == now
    services.api_token_touch(token=token, now=now + timedelta(minutes=6))
    assert ApiToken.objects.get().last_used_at == now + timedelta(minutes=6)
