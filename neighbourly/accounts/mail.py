"""The account e-mails: what they say, and queueing them once the transaction commits.

Sending never fails the request: an SMTP error is logged and the task retries with backoff where a
worker runs (neighbourly.accounts.tasks); a broker outage leaves the e-mail in the outbox until the
broker is back.
"""

import logging

from django.conf import settings
from django.urls import reverse

from neighbourly.accounts.models import Profile, User
from neighbourly.accounts.tokens import email_confirm_token_make, password_reset_token_make
from neighbourly.core.outbox import outbox_enqueue

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return settings.NEIGHBOURLY_BASE_URL.rstrip("/") + path


def mail_queue(*, to: str, subject: str, body: str) -> None:
    """Through the transactional outbox (core.outbox): sent after the commit, and still sent when the
    broker was down at that moment (the drain publishes it once the broker is back)."""
    from neighbourly.accounts.tasks import account_mail_send_task

    outbox_enqueue(account_mail_send_task, to, subject, body)


def _name(user: User) -> str:
    profile = Profile.objects.filter(user=user).only("display_name").first()  # createsuperuser makes none
    return profile.display_name if profile else "there"


def _sign_off(text: str) -> str:
    return f"{text}\n\n— {settings.NEIGHBOURLY_SITE_NAME}\n"


def confirmation_mail(*, user: User) -> None:
    link = absolute_url(reverse("accounts:confirm_email", args=[email_confirm_token_make(user=user)]))
    hours = settings.EMAIL_CONFIRM_TIMEOUT // 3600
    mail_queue(to=user.email, subject="Confirm your e-mail address", body=_sign_off(
        f"Hello {_name(user)},\n\nPlease confirm this is your e-mail address by opening this link "
        f"(it works once, for {hours} hours):\n\n{link}\n\n"
        "If you did not sign up, ignore this e-mail: nothing happens without this link."))


def existing_account_mail(*, user: User) -> None:
    mail_queue(to=user.email, subject="Someone tried to sign up with your address", body=_sign_off(
        "Someone (perhaps you) tried to create a new account with this e-mail address, but you already "
        f"have one.\n\nLog in: {absolute_url(reverse('accounts:login'))}\n"
        f"Forgot your password? Reset it: {absolute_url(reverse('accounts:password_reset'))}\n\n"
        "If it was not you, you need not do anything."))


def email_change_mails(*, user: User, new_email: str) -> None:
    token = email_confirm_token_make(user=user, email=new_email)
    link = absolute_url(reverse("accounts:confirm_email", args=[token]))
    mail_queue(to=new_email, subject="Confirm your new e-mail address", body=_sign_off(
        f"Hello {_name(user)},\n\nTo use this address for your account, open this link "
        f"(it works once):\n\n{link}\n\nIf you did not ask for this, ignore this e-mail."))
    mail_queue(to=user.email, subject="Your e-mail address is being changed", body=_sign_off(
        f"Someone logged in to your account asked to change its e-mail address to {new_email}. It changes only "
        "when the link sent there is opened.\n\nIf this was not you, change your password now: "
        f"{absolute_url(reverse('accounts:password_reset'))}"))


def password_reset_mail(*, user: User) -> None:
    uid, token = password_reset_token_make(user=user)
    link = absolute_url(reverse("accounts:password_reset_confirm", args=[uid, token]))
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    mail_queue(to=user.email, subject="Reset your password", body=_sign_off(
        f"Hello {_name(user)},\n\nTo choose a new password, open this link (it works once, "
        f"for {minutes} minutes):\n\n{link}\n\nIf you did not ask for this, ignore this e-mail: your password "
        "stays as it is."))


def password_changed_mail(*, user: User) -> None:
    mail_queue(to=user.email, subject="Your password was changed", body=_sign_off(
        "The password of your account was just changed. If this was not you, reset it now: "
        f"{absolute_url(reverse('accounts:password_reset'))}"))
