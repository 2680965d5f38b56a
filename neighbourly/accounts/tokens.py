"""Signed links mailed to a person: e-mail confirmation (signed, expiring, single use) and password reset.

E-mail confirmation: a TimestampSigner over (user id, address to confirm, a fingerprint of the
account's current address and confirmation state). Confirming changes that state, so a link works
once; it also stops working when the address changes. Password reset: Django's
PasswordResetTokenGenerator (expires after PASSWORD_RESET_TIMEOUT; single use because it hashes the
password and the last login).
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from neighbourly.accounts.models import User
from neighbourly.core.errors import ApplicationError

_CONFIRM_SALT = "neighbourly.accounts.email-confirm"
INVALID_LINK = "This link is not valid: it may have been used already. Ask for a new one."
EXPIRED_LINK = "This link has expired. Ask for a new one."


def _state(user: User) -> str:
    confirmed = user.email_confirmed_at.isoformat() if user.email_confirmed_at else ""
    return salted_hmac(_CONFIRM_SALT, f"{user.pk}|{user.email}|{confirmed}").hexdigest()[:16]


def email_confirm_token_make(*, user: User, email: str | None = None) -> str:
    """A token confirming `email` (default: the account's own address) for `user`."""
    payload = {"u": user.pk, "e": email or user.email, "s": _state(user)}
    return signing.TimestampSigner(salt=_CONFIRM_SALT).sign_object(payload, compress=True)


def email_confirm_token_read(*, token: str) -> tuple[User, str]:
    """(user, address to confirm) for a valid, unused, unexpired token; ApplicationError otherwise."""
    signer = signing.TimestampSigner(salt=_CONFIRM_SALT)
    try:
        payload = signer.unsign_object((token or "")[:1000], max_age=settings.EMAIL_CONFIRM_TIMEOUT)
    except signing.SignatureExpired:
        raise ApplicationError(EXPIRED_LINK) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise ApplicationError(INVALID_LINK) from None
    if not isinstance(payload, dict):
        raise ApplicationError(INVALID_LINK)
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None or payload.get("s") != _state(user) or not payload.get("e"):
        raise ApplicationError(INVALID_LINK)
    return user, payload["e"]


def password_reset_token_make(*, user: User) -> tuple[str, str]:
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


def password_reset_user(*, uid: str, token: str) -> User:
    """The user a (uid, token) pair resets; ApplicationError if invalid, used or expired."""
    try:
        pk = int(force_str(urlsafe_base64_decode((uid or "")[:64])))
    except (ValueError, TypeError, OverflowError):
        raise ApplicationError(INVALID_LINK) from None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, (token or "")[:100]):
        raise ApplicationError(INVALID_LINK)
    return user
