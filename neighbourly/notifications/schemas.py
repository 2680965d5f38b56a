from datetime import datetime

from ninja import Schema
from pydantic import Field

from neighbourly.notifications.models import Delivery, Kind


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read: bool
    target: str = Field(default="", description='What it is about: "post:ID", "conversation:ID", or "".')


class NotificationPageOut(Schema):
    items: list[NotificationOut]
    next_cursor: str | None
    unread_count: int


class ReadIn(Schema):
    up_to_id: int = Field(ge=0)


class UnreadOut(Schema):
    unread_count: int


class PreferenceOut(Schema):
    kind: str
    label: str
    delivery: str


class PreferenceIn(Schema):
    kind: Kind
    delivery: Delivery
