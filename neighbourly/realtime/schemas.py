from datetime import datetime

from ninja import Schema
from pydantic import Field


class ChatMemberOut(Schema):
    id: int
    name: str


class MessageIn(Schema):
    body: str = Field(min_length=1, max_length=4000)
    client_id: str = Field(default="", max_length=64)


class MessageOut(Schema):
    conversation: int
    seq: int
    id: int
    author: ChatMemberOut
    body: str
    sent_at: datetime
    client_id: str


class MessagePage(Schema):
    items: list[MessageOut]
    next_cursor: str | None = None
    last_seq: int


class ConversationIn(Schema):
    member_ids: list[int] = Field(min_length=1, max_length=50)
    title: str = Field(default="", max_length=120)


class ConversationOut(Schema):
    id: int
    kind: str
    title: str
    community: str
    members: list[ChatMemberOut]
    last_seq: int
    last_read_seq: int
    unread: int
    last_message: str | None = None
    last_message_at: datetime | None = None


class ConversationPage(Schema):
    items: list[ConversationOut]
    next_cursor: str | None = None


class ChatReadIn(Schema):
    seq: int = Field(ge=0)


class ReadOut(Schema):
    conversation: int
    seq: int
