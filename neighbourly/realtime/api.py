"""Chat over HTTP: history, the non-WebSocket fallback for sending, and starting conversations."""

from ninja import Query, Router, Schema, Status
from pydantic import Field

from neighbourly.communities.selectors import community_get_for_member
from neighbourly.core.errors import ApplicationError, InvalidCursor
from neighbourly.core.pagination import cursor_decode, cursor_encode
from neighbourly.core.ratelimit import client_ip
from neighbourly.realtime import schemas, selectors, services

router = Router(tags=["realtime"])

CONVERSATION_PAGE = 30


def conversation_out(conversation, viewer) -> dict:
    last_read = conversation.my_last_read_seq or 0
    return {
        "id": conversation.id,
        "kind": conversation.kind,
        "title": conversation.title,
        "community": conversation.community.slug,
        "members": [
            {"id": m.user_id, "name": m.user.profile.display_name}
            for m in conversation.active_members
            if m.user_id != viewer.pk
        ],
        "last_seq": conversation.last_seq,
        "last_read_seq": last_read,
        "unread": max(conversation.last_seq - last_read, 0),
        "last_message": conversation.last_body,
        "last_message_at": conversation.last_message_at,
    }


class ConversationListQuery(Schema):
    cursor: str | None = Field(default=None, max_length=200)


@router.get("/conversations", response=schemas.ConversationPage)
def list_conversations(request, filters: Query[ConversationListQuery]):
    # The cursor carries how many were already returned (a member has tens of conversations, not
    # millions, and the order moves with every message, so there is no stable key to page on).
    position = cursor_decode(filters.cursor, types=(int,))
    offset = position[0] if position else 0
    if offset < 0:
        raise InvalidCursor()
    rows = list(selectors.conversation_list_for_user(user=request.user)[offset : offset + CONVERSATION_PAGE + 1])
    more = len(rows) > CONVERSATION_PAGE
    return {
        "items": [conversation_out(c, request.user) for c in rows[:CONVERSATION_PAGE]],
        "next_cursor": cursor_encode(offset + CONVERSATION_PAGE) if more else None,
    }


@router.post("/conversations", response={200: schemas.ConversationOut, 201: schemas.ConversationOut})
def create_conversation(request, payload: schemas.ConversationIn):
    others = sorted(set(payload.member_ids) - {request.user.pk})
    if len(others) == 1 and not payload.title:
        conversation, created = services.conversation_direct_get_or_create(user=request.user, other_user_id=others[0], ip=client_ip(request))
    else:
        community = _home_community(request.user)
        conversation = services.conversation_room_create_for_residents(
            ip=client_ip(request), user=request.user, community=community, member_ids=others, title=payload.title
        )
        created = True
    row = selectors.conversation_list_for_user(user=request.user).get(pk=conversation.pk)
    return Status(201 if created else 200, conversation_out(row, request.user))


def _home_community(user):
    from neighbourly.communities.selectors import membership_list_for_user

    verified = [m for m in membership_list_for_user(user=user) if m.is_verified]
    if not verified:
        raise ApplicationError("Verify your address before starting a conversation.")
    community, _ = community_get_for_member(user=user, slug=verified[0].community.slug)
    return community


class MessageListQuery(Schema):
    after_seq: int | None = Field(default=None, ge=0)
    before_seq: int | None = Field(default=None, ge=1)
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=200)


@router.get("/conversations/{conversation_id}/messages", response=schemas.MessagePage)
def list_messages(request, conversation_id: int, filters: Query[MessageListQuery]):
    """`after_seq` pages forward (resync); otherwise the newest page, or the page before `before_seq`.
    `next_cursor` (backward paging only) is the cursor for the next older page."""
    conversation = selectors.conversation_get_for_member(user=request.user, conversation_id=conversation_id)
    position = cursor_decode(filters.cursor, types=(int,))  # the seq of the oldest message served
    before = position[0] if position else filters.before_seq
    messages = selectors.message_list(
        viewer=request.user, conversation=conversation, after_seq=filters.after_seq, before_seq=before,
        limit=filters.limit,
    )
    items = [services.message_event(m) for m in messages]
    next_cursor = None  # forward (after_seq): ask again with the last seq received until it reaches last_seq
    if filters.after_seq is None:
        next_cursor = cursor_encode(items[0]["seq"]) if items and items[0]["seq"] > 1 else None
    return {"items": items, "next_cursor": next_cursor, "last_seq": conversation.last_seq}


@router.post("/conversations/{conversation_id}/messages", response={200: schemas.MessageOut, 201: schemas.MessageOut})
def send_message(request, conversation_id: int, payload: schemas.MessageIn):
    message, created = services.chat_message_send(
        user=request.user, conversation_id=conversation_id, body=payload.body, client_id=payload.client_id
    )
    return Status(201 if created else 200, services.message_event(message))


@router.post("/conversations/{conversation_id}/read", response=schemas.ReadOut)
def read_conversation(request, conversation_id: int, payload: schemas.ChatReadIn):
    seq = services.conversation_mark_read(user=request.user, conversation_id=conversation_id, seq=payload.seq)
    return {"conversation": conversation_id, "seq": seq}
