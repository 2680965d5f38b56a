import threading

import pytest
from django.db import close_old_connections, connection

from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.realtime import services
from neighbourly.realtime.models import Conversation, ConversationMember, Message
from neighbourly.realtime.services import (
    chat_message_send,
    conversation_direct_get_or_create,
    conversation_mark_read,
    conversation_member_add,
    conversation_member_remove,
)
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.realtime.factories import room_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(member):
    return MembershipFactory(community=member.community, verified=True)


@pytest.fixture
def room(member, neighbour):
    return room_with(member.community, member.user, neighbour.user)


def test_direct_conversation_between_neighbours_is_created_once(member, neighbour):
    conversation, created = conversation_direct_get_or_create(user=member.user, other_user_id=neighbour.user_id)
    again, created_again = conversation_direct_get_or_create(user=neighbour.user, other_user_id=member.user_id)
    assert (created, created_again, again.pk) == (True, False, conversation.pk)
    assert conversation.community == member.community
    assert sorted(conversation.members.values_list("user_id", flat=True)) == sorted([member.user_id, neighbour.user_id])


def test_direct_conversation_with_a_nearby_resident(member):
    nearby = CommunityFactory()
    member.community.nearby.add(nearby)
    other = MembershipFactory(community=nearby, verified=True)
    conversation, created = conversation_direct_get_or_create(user=member.user, other_user_id=other.user_id)
    assert created is True


def test_direct_conversation_with_a_far_community_is_refused(member, other_member):
    with pytest.raises(NotFound):
        conversation_direct_get_or_create(user=member.user, other_user_id=other_member.user_id)
    assert Conversation.objects.exists() is False


def test_direct_conversation_with_unverified_or_self_is_refused(member, pending_member):
    for other in (pending_member.user_id, member.user_id, 999999):
        with pytest.raises(NotFound):
            conversation_direct_get_or_create(user=member.user, other_user_id=other)
    assert Conversation.objects.exists() is False


def test_send_allocates_consecutive_seqs_and_publishes_after_commit(
    member, room, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first, _ = chat_message_send(user=member.user, conversation_id=room.id, body="a", client_id="1")
        second, _ = chat_message_send(user=member.user, conversation_id=room.id, body="b", client_id="2")
    assert (first.seq, second.seq) == (1, 2)
    assert len(callbacks) == 4  # per message: the live event + the "not looking" notification check
    room.refresh_from_db()
    assert room.last_seq == 2


def test_duplicate_client_id_stores_one_message(member, room, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        one, created_one = chat_message_send(user=member.user, conversation_id=room.id, body="a", client_id="dup")
        two, created_two = chat_message_send(user=member.user, conversation_id=room.id, body="a", client_id="dup")
    assert (one.pk, created_one, created_two) == (two.pk, True, False)
    assert Message.objects.count() == 1
    assert len(callbacks) == 2  # one message: its live event + its notification check; the repeat adds none


def test_empty_or_too_long_body_is_refused(member, room):
    for body in ("", "   ", "x" * 4001):
        with pytest.raises(ApplicationError):
            chat_message_send(user=member.user, conversation_id=room.id, body=body, client_id="c")
    assert Message.objects.exists() is False


def test_removed_member_cannot_send_and_is_told(member, neighbour, room, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        conversation_member_remove(conversation=room, user=neighbour.user)
    assert len(callbacks) == 1
    with pytest.raises(NotFound):
        chat_message_send(user=neighbour.user, conversation_id=room.id, body="hi", client_id="c")
    assert Message.objects.exists() is False
    conversation_member_add(conversation=room, user=neighbour.user)
    message, _ = chat_message_send(user=neighbour.user, conversation_id=room.id, body="back", client_id="c")
    assert message.seq == 1


def test_mark_read_only_moves_forward(member, neighbour, room):
    for i in range(3):
        chat_message_send(user=neighbour.user, conversation_id=room.id, body=f"m{i}", client_id=f"{i}")
    assert conversation_mark_read(user=member.user, conversation_id=room.id, seq=2) == 2
    conversation_mark_read(user=member.user, conversation_id=room.id, seq=1)
    assert ConversationMember.objects.get(conversation=room, user=member.user).last_read_seq == 2


def test_sender_has_read_own_message(member, room):
    chat_message_send(user=member.user, conversation_id=room.id, body="mine", client_id="x")
    assert ConversationMember.objects.get(conversation=room, user=member.user).last_read_seq == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("not __import__('os').environ.get('DATABASE_URL')",
                    reason="needs PostgreSQL (DATABASE_URL): SQLite's in-memory test database locks whole tables")
def test_concurrent_senders_get_seqs_without_gaps_or_duplicates(member, neighbour, room):
    """Threads with their own DB connections (PostgreSQL: real row locks; SQLite: IMMEDIATE writes)."""
    senders = [member.user, neighbour.user] * 3
    per_thread = 10
    errors = []
    barrier = threading.Barrier(len(senders))

    def send(index, user):
        try:
            barrier.wait()
            for i in range(per_thread):
                chat_message_send(user=user, conversation_id=room.id, body=f"{index}-{i}", client_id=f"{index}-{i}")
                # the same client_id again, as a client retry would
                if i % 3 == 0:
                    chat_message_send(user=user, conversation_id=room.id, body=f"{index}-{i}", client_id=f"{index}-{i}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=send, args=(i, u)) for i, u in enumerate(senders)]
    services.CHAT_RATE_MESSAGES, saved = 10_000, services.CHAT_RATE_MESSAGES
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        services.CHAT_RATE_MESSAGES = saved
    assert errors == []
    seqs = list(Message.objects.filter(conversation=room).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(senders) * per_thread + 1))
    room.refresh_from_db()
    assert room.last_seq == len(senders) * per_thread
