import secrets

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from neighbourly.accounts.models import ApiToken, Block, Profile, User
from neighbourly.accounts.privacy import user_delete
from neighbourly.core.errors import ApplicationError, Conflict, NotAuthenticated, PermissionDenied, RateLimited
from neighbourly.core.validation import full_clean_or_raise


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ApplicationError("Enter a valid e-mail address.") from exc
    return email


@transaction.atomic
def user_create(*, email: str, password: str, display_name: str) -> User:
    email = _normalise_email(email)
    display_name = (display_name or "").strip()
    if not display_name:
        raise ApplicationError("Choose a display name neighbours will see.")
    if User.objects.filter(email=email).exists():
        raise Conflict("An account with this e-mail address already exists. Log in instead.")
    user = User(email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages)) from exc
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
    """Block a neighbour (idempotent). Only someone the blocker can see as a neighbour."""
    from neighbourly.accounts.neighbours import neighbour_membership

    if blocked_id == blocker.pk:
        raise ApplicationError("You cannot block yourself.")
    neighbour_membership(viewer=blocker, user_id=blocked_id)  # NotFound for anyone else
    block, _ = Block.objects.get_or_create(blocker=blocker, blocked_id=blocked_id)
    return block


@transaction.atomic
def block_delete(*, blocker: User, blocked_id: int) -> bool:
    """Unblock (idempotent; also for someone who is no longer a neighbour). True if a block went."""
    deleted, _ = Block.objects.filter(blocker=blocker, blocked_id=blocked_id).delete()
    return bool(deleted)
