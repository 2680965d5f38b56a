from ninja import Query, Router, Schema
from pydantic import Field

from neighbourly.notifications import schemas, selectors, services

router = Router(tags=["notifications"])


class PageQuery(Schema):
    cursor: str | None = Field(default=None, max_length=200)


def _out(notification) -> dict:
    return {
        "id": notification.id, "kind": notification.kind, "title": notification.title, "body": notification.body,
        "url": notification.url, "created_at": notification.created_at, "read": notification.read_at is not None,
        "target": notification.target,
    }


@router.get("/notifications", response=schemas.NotificationPageOut)
def list_notifications(request, query: Query[PageQuery]):
    items, next_cursor = selectors.notification_page(user=request.auth, cursor=query.cursor)
    return {"items": [_out(n) for n in items], "next_cursor": next_cursor,
            "unread_count": selectors.notification_unread_count(user=request.auth)}


@router.post("/notifications/read", response=schemas.UnreadOut)
def read_notifications(request, payload: schemas.ReadIn):
    services.notifications_mark_read(user=request.auth, up_to_id=payload.up_to_id)
    return {"unread_count": selectors.notification_unread_count(user=request.auth)}


@router.get("/notifications/preferences", response=list[schemas.PreferenceOut])
def list_notification_preferences(request):
    return selectors.preference_list(user=request.auth)


@router.put("/notifications/preferences", response=list[schemas.PreferenceOut])
def set_notification_preference(request, payload: schemas.PreferenceIn):
    services.preference_set(user=request.auth, kind=payload.kind.value, delivery=payload.delivery.value)
    return selectors.preference_list(user=request.auth)
