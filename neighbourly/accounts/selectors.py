from django.db.models import QuerySet
from django.utils import timezone

from neighbourly.accounts.models import ApiToken, User
from neighbourly.core.errors import NotFound


def user_get_by_token(*, raw_token: str) -> User | None:
    if not raw_token.startswith(ApiToken.PREFIX) or len(raw_token) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__profile")
        .filter(token_hash=ApiToken.hash(raw_token), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        # Throttled bookkeeping: at most one write per token every five minutes.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_get_with_profile(*, user_id: int) -> User:
    return User.objects.select_related("profile").get(pk=user_id)


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def user_get_by_email(*, email: str) -> User:
    user = User.objects.filter(email=(email or "").strip().lower()).first()
    if user is None:
        raise NotFound(f"No user with the e-mail address '{email}'.")
    return user
