from django.db.models import Q, QuerySet

from neighbourly.accounts.models import ApiToken, Block, User
from neighbourly.core.errors import NotFound
from neighbourly.core.plugins import Registry


def api_token_get_active(*, raw_token: str) -> ApiToken | None:
    """The personal token a raw `nbly_…` string names, with its (active) user and profile; None for
    anything else. A pure read: the caller records the use (services.api_token_touch)."""
    if not raw_token.startswith(ApiToken.PREFIX) or len(raw_token) > 200:
        return None
    return (
        ApiToken.objects.select_related("user", "user__profile")
        .filter(token_hash=ApiToken.hash(raw_token), user__is_active=True)
        .first()
    )


def user_get_with_profile(*, user_id: int) -> User:
    return User.objects.select_related("profile").get(pk=user_id)


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def user_get_by_email(*, email: str) -> User:
    user = User.objects.filter(email=(email or "").strip().lower()).first()
    if user is None:
        raise NotFound(f"No user with the e-mail address '{email}'.")
    return user


# --- blocks ---------------------------------------------------------------------------------


def block_list(*, user) -> QuerySet[Block]:
    """The people `user` blocked, newest first, with their display names: one query."""
    return Block.objects.filter(blocker=user).select_related("blocked__profile").order_by("-created_at", "-id")


def blocked_between(*, a_id: int, b_id: int) -> bool:
    """Whether either of the two blocked the other: no direct messages, no mentions between them."""
    return Block.objects.filter(
        Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)
    ).exists()


def blocked_by_ids(*, user) -> QuerySet:
    """Ids of the people `user` blocked, as a subquery (`author__in=...`): the feed hides them."""
    return Block.objects.filter(blocker_id=user.pk).values("blocked_id")


def block_related_ids(*, user_id: int) -> set[int]:
    """Everyone `user_id` blocked or was blocked by (one query): leave them out of people pickers
    such as the New message search and mention autocomplete."""
    rows = Block.objects.filter(Q(blocker_id=user_id) | Q(blocked_id=user_id)).values_list("blocker_id", "blocked_id")
    return {other for pair in rows for other in pair if other != user_id}


def block_related_queries(*, user_id: int):
    """The same people as `block_related_ids`, as two subqueries a caller can exclude inside its
    own query (no extra round trip): those `user_id` blocked, and those who blocked `user_id`."""
    return (Block.objects.filter(blocker_id=user_id).values("blocked_id"),
            Block.objects.filter(blocked_id=user_id).values("blocker_id"))


# What apps above accounts add to a member's own account (GET /me): each registers a part from its
# AppConfig.ready(), part(user=) -> the value under its key (communities: "memberships").
me_parts: Registry = Registry("the member's own account")
