from django.db.models import QuerySet

from neighbourly.core.pagination import keyset_page
from neighbourly.notifications.models import DEFAULT_DELIVERY, Kind, Notification, Preference

PAGE_SIZE = 20


def notification_page(*, user, cursor: str | None = None, limit: int = PAGE_SIZE) -> tuple[list, str | None]:
    """Newest first, keyset on id (one query)."""
    queryset: QuerySet[Notification] = Notification.objects.filter(recipient=user)
    return keyset_page(queryset, keys=("id",), cursor=cursor, size=limit)


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preference_list(*, user) -> list[dict]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return [
        {"kind": kind.value, "label": kind.label, "delivery": chosen.get(kind.value, DEFAULT_DELIVERY[kind])}
        for kind in Kind
    ]
