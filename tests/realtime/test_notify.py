"""Chat messages to members who are not looking: one item per conversation that counts up, e-mailed
at most once while unread within the window (realtime/notify.py through chat_message_send)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from neighbourly.communities.models import MembershipStatus
from neighbourly.notifications.models import Delivery, Kind, Notification
from neighbourly.notifications.services import digests_send_due, preference_set
from neighbourly.realtime.presence import presence_leave, presence_touch
from neighbourly.realtime.services import (
    chat_message_send,
    conversation_direct_get_or_create,
    conversation_mark_read,
)
from tests.communities.factories import MembershipFactory
from tests.realtime.factories import room_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(community):
    return MembershipFactory(community=community, verified=True, user__profile__display_name="Ana Costa")


@pytest.fixture
def direct(member, ana):
    conversation, _ = conversation_direct_get_or_create(user=ana.user, other_user_id=member.user_id)
    return conversation


@pytest.fixture
def say(django_capture_on_commit_callbacks):
    counter = iter(range(10_000))

    def call(who, conversation, body="Hello"):
        with django_capture_on_commit_callbacks(execute=True):
            return chat_message_send(user=who.user, conversation_id=conversation.id, body=body,
                                     client_id=f"c{next(counter)}")[0]

    return call


def items(member):
    return list(Notification.objects.filter(recipient=member.user, kind=Kind.MESSAGE).order_by("id"))


def mails_to(member):
    return [m for m in mail.outbox if m.to == [member.user.email]]


def test_messages_while_not_looking_are_one_item_that_counts_up(member, ana, direct, say):
    say(ana, direct, "Are you in?")
    (first,) = items(member)
    assert (first.title, first.body, first.url) == ("Ana Costa sent you a message", "Are you in?",
                                                   f"/messages/{direct.id}/")
    assert (first.actor_id, first.target) == (ana.user_id, f"conversation:{direct.id}")
    say(ana, direct, "Parcel for you")
    say(ana, direct, "I'll leave it by the door")
    (item,) = items(member)
    assert (item.title, item.body, item.read_at) == ("3 new messages from Ana Costa", "I'll leave it by the door", None)
    assert items(ana) == []  # the author is never told of their own message


def test_reading_the_conversation_marks_its_notification_read(member, ana, direct, say):
    last = say(ana, direct)
    conversation_mark_read(user=member.user, conversation_id=direct.id, seq=last.seq)
    (item,) = items(member)
    assert item.read_at is not None
    say(ana, direct, "One more")
    (again,) = items(member)
    assert (again.title, again.read_at) == ("Ana Costa sent you a message", None)  # counts from the last read


def test_a_member_looking_at_the_conversation_is_not_told(member, ana, direct, say):
    presence_touch(stream=f"conversation:{direct.id}", user_id=member.user_id)
    say(ana, direct)
    assert items(member) == []
    presence_leave(stream=f"conversation:{direct.id}", user_id=member.user_id)  # closed the tab
    say(ana, direct, "Still there?")
    assert [n.title for n in items(member)] == ["2 new messages from Ana Costa"]


def test_immediate_e_mail_once_per_conversation_until_read(member, ana, direct, say):
    preference_set(user=member.user, kind=Kind.MESSAGE, delivery=Delivery.IMMEDIATE)
    for body in ("one", "two", "three"):
        last = say(ana, direct, body)
    assert [m.subject for m in mails_to(member)] == ["[Neighbourly] Ana Costa sent you a message"]
    conversation_mark_read(user=member.user, conversation_id=direct.id, seq=last.seq)
    say(ana, direct, "four")
    assert len(mails_to(member)) == 2  # read since: the next message is news again
    Notification.objects.filter(recipient=member.user).update(emailed_at=timezone.now() - timedelta(days=2))
    say(ana, direct, "five")
    assert len(mails_to(member)) == 3  # unread, but the last e-mail is older than the window


def test_digest_carries_a_conversation_once_per_window(member, ana, direct, say):
    preference_set(user=member.user, kind=Kind.MESSAGE, delivery=Delivery.DIGEST)
    say(ana, direct, "one")
    say(ana, direct, "two")
    assert mails_to(member) == []
    assert digests_send_due(day=date(2026, 11, 25)) == 1
    assert "2 new messages from Ana Costa" in mails_to(member)[0].body
    say(ana, direct, "three")  # still unread, already in today's digest
    assert digests_send_due(day=date(2026, 11, 26)) == 0
    (item,) = items(member)
    assert item.title == "3 new messages from Ana Costa"


def test_never_means_in_the_app_only(member, ana, direct, say):
    preference_set(user=member.user, kind=Kind.MESSAGE, delivery=Delivery.NEVER)
    say(ana, direct)
    assert len(items(member)) == 1
    assert digests_send_due(day=date(2026, 11, 25)) == 0 and mail.outbox == []


@pytest.mark.parametrize("change", ["left", "suspended", "inactive"])
def test_no_message_notification_for_someone_who_may_no_longer_read_it(member, ana, direct, say, change):
    if change == "left":
        member.delete()
    elif change == "inactive":
        member.user.is_active = False
        member.user.save()
    else:
        member.status = MembershipStatus.SUSPENDED
        member.suspended_until = timezone.now() + timedelta(days=3)
        member.save()
    say(ana, direct)
    assert Notification.objects.exists() is False


def test_room_messages_name_the_room_and_skip_the_sender(member, ana, community, say):
    ben = MembershipFactory(community=community, verified=True)
    room = room_with(community, member.user, ana.user, ben.user, title="Allotment")
    say(ana, room, "Seeds are in")
    assert [n.title for n in items(member)] == ["Ana Costa wrote in Allotment"]
    assert items(member)[0].body == "Ana Costa: Seeds are in"
    assert items(ana) == [] and len(items(ben)) == 1


def test_a_burst_of_sends_queues_one_check(member, ana, direct, django_capture_on_commit_callbacks, monkeypatch):
    from neighbourly.realtime import tasks

    queued = []
    monkeypatch.setattr(tasks.conversation_notify_task, "apply_async", lambda args, countdown, retry: queued.append(
        (args, countdown, retry)))
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            chat_message_send(user=ana.user, conversation_id=direct.id, body="hi", client_id=f"b{i}")
    assert queued == [((direct.id,), 4, False)]
