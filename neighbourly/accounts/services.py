import logging
import secrets

from django.contrib.auth import SESSION_KEY, authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from neighbourly.accounts import mail
from neighbourly.accounts.models import ApiToken, Block, Profile, User
from neighbourly.accounts.privacy import user_delete
from neighbourly.accounts.signals import email_confirmed
from neighbourly.accounts.tokens import email_confirm_token_read, password_reset_user
from neighbourly.core.errors import (
    ApplicationError,
    Conflict,
    NotAuthenticated,
    PermissionDenied,
    RateLimited,
)
from neighbourly.core.validation import full_clean_or_raise

logger = logging.getLogger(__name__)

def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ApplicationError("Enter a valid e-mail address.") from exc
    return email


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages)) from exc


@transaction.atomic
def user_create(*, email: str, password: str, display_name: str, email_confirmed: bool = False) -> User:
    """Create an account (the seed data and admin tooling; people sign up through user_signup)."""
    email = _normalise_email(email)
    display_name = (display_name or "").strip()
    if not display_name:
        raise ApplicationError("Choose a display name neighbours will see.")
    if User.objects.filter(email=email).exists():
        raise Conflict("An account with this e-mail address already exists. Log in instead.")
    user = User(email=email, email_confirmed_at=timezone.now() if email_confirmed else None)
    _validate_password(password, user)
    user.set_password(password)
    full_clean_or_raise(user, exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # two sign-ups racing for one address
        raise Conflict("An account with this e-mail address already exists. Log in instead.") from exc
    profile = Profile(user=user, display_name=display_name)
    full_clean_or_raise(profile, exclude=["user"])
    profile.save()
    return user


def users_delete_by_email_domain(*, domain: str) -> int:
    """Delete every account on a synthetic e-mail domain (the demo's reset). Never a real domain:
    a member's own deletion goes through user_delete_confirmed (their data first)."""
    if not domain or "." not in domain:
        raise ApplicationError("A whole e-mail domain is needed.")
    deleted, _ = User.objects.filter(email__iendswith=f"@{domain}").delete()
    return deleted


@transaction.atomic
def user_signup(*, email: str, password: str, display_name: str) -> None:
    """Sign up without telling anyone whether the address already has an account.

    Bad input is refused the same way in both cases. A new address gets an account and a
    confirmation link; an address that has an account gets a mail telling its owner instead.
    Either way the caller answers "check your inbox" and logs nobody in.
    """
    email = _normalise_email(email)
    if not (display_name or "").strip():
        raise ApplicationError("Choose a display name neighbours will see.")
    _validate_password(password, User(email=email))
    full_clean_or_raise(Profile(display_name=display_name.strip()), exclude=["user"])  # refused alike
    existing = User.objects.filter(email=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = user_create(email=email, password=password, display_name=display_name)
        except Conflict:  # two sign-ups racing for one address
            existing = User.objects.filter(email=email).first()
        else:
            mail.confirmation_mail(user=user)
            return
    make_password(password)  # the same hashing work as a new account, so the timing tells nothing
    if existing is not None and existing.is_active:
        mail.existing_account_mail(user=existing)


@transaction.atomic
def email_confirm(*, token: str) -> User:
    """Follow a confirmation link: confirm the account's address, or switch to a new confirmed one."""
    user, address = email_confirm_token_read(token=token)
    user = User.objects.select_for_update().get(pk=user.pk)
    if address != user.email:
        if User.objects.filter(email=address).exclude(pk=user.pk).exists():
            raise Conflict("Another account uses this e-mail address now; nothing was changed.")
        user.email = address
    user.email_confirmed_at = timezone.now()
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "email_confirmed_at"])
    except IntegrityError as exc:
        raise Conflict("Another account uses this e-mail address now; nothing was changed.") from exc
    _announce_confirmed(user)
    return user


def _announce_confirmed(user: User) -> None:
    for receiver, result in email_confirmed.send_robust(sender=User, user=user):
        if isinstance(result, Exception):
            logger.error("email_confirmed receiver %r failed for user %s", receiver, user.pk, exc_info=result)


def email_confirmation_resend(*, user: User) -> None:
    if not user.email_confirmed:
        mail.confirmation_mail(user=user)


@transaction.atomic
def email_change_request(*, user: User, new_email: str, password: str) -> None:
    """Mail a confirmation link to the new address (the change happens when it is opened); tell the old one."""
    if not user.check_password(password or ""):
        raise PermissionDenied("The password is not correct; nothing was changed.")
    new_email = _normalise_email(new_email)
    if new_email == user.email:
        raise ApplicationError("This is already your e-mail address.")
    if User.objects.filter(email=new_email).exists():
        return  # the same answer: whether another account uses it is not for this person to learn
    mail.email_change_mails(user=user, new_email=new_email)


def password_reset_request(*, email: str) -> None:
    """Mail a reset link if an active account has this address. The caller answers the same either way."""
    email = (email or "").strip().lower()
    user = User.objects.filter(email=email, is_active=True).select_related("profile").first()
    if user is not None:
        mail.password_reset_mail(user=user)


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, password: str) -> User:
    """Set a new password from a reset link; it also proves the address and lifts a login lockout."""
    from axes.utils import reset as axes_reset

    user = password_reset_user(uid=uid, token=token)
    user = User.objects.select_for_update().get(pk=user.pk)
    _validate_password(password, user)
    user.set_password(password)
    newly_confirmed = not user.email_confirmed
    if newly_confirmed:
        user.email_confirmed_at = timezone.now()
    user.save(update_fields=["password", "email_confirmed_at"])
    axes_reset(username=user.email)
    mail.password_changed_mail(user=user)
    if newly_confirmed:
        _announce_confirmed(user)
    return user


@transaction.atomic
def password_change(*, request: HttpRequest | None, user: User, current_password: str, new_password: str) -> None:
    """Change one's password (the current one is required); other sessions are logged out."""
    if not user.check_password(current_password or ""):
        raise PermissionDenied("The current password is not correct; nothing was changed.")
    _validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    if request is not None and request.session.get(SESSION_KEY):
        update_session_auth_hash(request, user)  # keep this session; every other one ends
    mail.password_changed_mail(user=user)


def user_login(*, request: HttpRequest, email: str, password: str) -> User:
    """Check credentials through Django's backends (django-axes counts failures) and log in."""
    email = (email or "").strip().lower()
    user = authenticate(request, email=email, password=password)
    if getattr(request, "axes_locked_out", False):
        raise RateLimited("Too many failed attempts. Try again in a few minutes.")
    if user is None:
        raise NotAuthenticated("E-mail or password is incorrect.")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def user_login_confirmed(*, request: HttpRequest, user: User) -> None:
    """Log in the person who just proved they own the account's address by a mailed link."""
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")


def user_logout(*, request: HttpRequest) -> None:
    logout(request)


def profile_update(
    *,
    user: User,
    display_name: str | None = None,
    bio: str | None = None,
    age_band: str | None = None,
) -> Profile:
    profile = user.profile
    if display_name is not None:
        display_name = display_name.strip()
        if not display_name:
            raise ApplicationError("Display name cannot be empty.")
        profile.display_name = display_name
    if bio is not None:
        profile.bio = bio.strip()
    if age_band is not None:
        profile.age_band = age_band  # "" removes it
    full_clean_or_raise(profile, exclude=["user"])
    profile.save()
    return profile


def profile_time_zone_set(*, user: User, time_zone: str) -> Profile:
    """The member's time zone for dates and times ("" = whatever their device says)."""
    from neighbourly.accounts.middleware import zone_or_none

    time_zone = (time_zone or "").strip()
    if time_zone and zone_or_none(time_zone) is None:
        raise ApplicationError("Choose a time zone from the list, e.g. Europe/London.")
    profile = user.profile
    profile.time_zone = time_zone
    profile.save(update_fields=["time_zone", "updated_at"])
    return profile


def profile_privacy_update(*, user: User, neighbour_label: str | None = None, in_directory: bool | None = None) -> Profile:
    """How neighbours see me (name and street, or name only) and whether the directory lists me."""
    from neighbourly.accounts.models import NeighbourLabel

    profile = user.profile
    if neighbour_label is not None:
        if neighbour_label not in NeighbourLabel.values:
            raise ApplicationError(f"Choose how neighbours see you: {', '.join(NeighbourLabel.values)}.")
        profile.neighbour_label = neighbour_label
    if in_directory is not None:
        profile.in_directory = bool(in_directory)
    full_clean_or_raise(profile, exclude=["user"])
    profile.save(update_fields=["neighbour_label", "in_directory", "updated_at"])
    return profile


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    raw = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=(name or "").strip() or "Personal token", token_hash=ApiToken.hash(raw),
                     hint=raw[: len(ApiToken.PREFIX) + 4])
    full_clean_or_raise(token, exclude=["user"])
    token.save()
    return token, raw


API_TOKEN_TOUCH_EVERY = 300  # seconds: at most one write per token this often


def api_token_touch(*, token: ApiToken, now=None) -> None:
    """Record that a token was used (shown on the settings page). Throttled bookkeeping: at most one
    write per token every five minutes."""
    now = now or timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > API_TOKEN_TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def api_token_revoke(*, user: User, token_id: int) -> None:
    ApiToken.objects.filter(user=user, pk=token_id).delete()


def user_delete_confirmed(*, request: HttpRequest, user: User, password: str, keep_content: bool) -> None:
    """Delete one's own account after re-entering the password (a stolen session is not enough)."""
    if not user.check_password(password or ""):
        raise PermissionDenied("The password is not correct; nothing was deleted.")
    user_delete(user=user, keep_content=keep_content)
    logout(request)


# --- blocks ---------------------------------------------------------------------------------


@transaction.atomic
def block_create(*, blocker: User, blocked_id: int) -> Block:
    """Block someone (idempotent). Callers check first that the blocker can see them as a neighbour
    (communities.services.neighbour_block): nobody blocks their way into learning who lives where."""
    if blocked_id == blocker.pk:
        raise ApplicationError("You cannot block yourself.")
    block, _ = Block.objects.get_or_create(blocker=blocker, blocked_id=blocked_id)
    return block


@transaction.atomic
def block_delete(*, blocker: User, blocked_id: int) -> bool:
    """Unblock (idempotent; also for someone who is no longer a neighbour). True if a block went."""
    deleted, _ = Block.objects.filter(blocker=blocker, blocked_id=blocked_id).delete()
    return bool(deleted)
