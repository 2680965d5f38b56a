from django.db.models import QuerySet

from neighbourly.core.errors import ApplicationError
from neighbourly.core.pagination import cursor_decode, cursor_encode
from neighbourly.notifications.models import DEFAULT_DELIVERY, Kind, Notification, Preference

PAGE_SIZE = 20


def notification_page(*, user, cursor: str | None = None, limit: int = PAGE_SIZE) -> tuple[list, str | None]:
    """Newest first, keyset on id."""
    queryset: QuerySet[Notification] = Notification.objects.filter(recipient=user)
    position = cursor_decode(cursor)
    if position is not None:
        try:
            queryset = queryset.filter(id__lt=int(position["id"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ApplicationError("Invalid cursor.") from exc
    items = list(queryset.order_by("-id")[: limit + 1])
    next_cursor = cursor_encode({"id": items[limit - 1].id}) if len(items) > limit else None
    return items[:limit], next_cursor


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preference_list(*, user) -> list[dict]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return [
        {"kind": kind.value, "label": kind.label, "delivery": chosen.get(kind.value, DEFAULT_DELIVERY[kind])}
        for kind in Kind
    ]
