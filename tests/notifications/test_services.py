from datetime import date, timedelta

from django.core import mail
from django.utils import timezone
import pytest

from neighbourly.accounts.models import User
from neighbourly.core.errors import ApplicationError
from neighbourly.notifications import services
from neighbourly.notifications.selectors import preference_list
from neighbourly.notifications.models import Delivery, Digest, Kind, Notification, Preference
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def send(user, kind=Kind.REPLY, title="Sam replied to your post", url="/posts/1/"):
    return services.notification_send(recipient=user, kind=kind, title=title, body="Sounds good!", url=url)


def test_immediate_kind_is_emailed_once_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = send(user, kind=Kind.VERIFICATION, title="You are verified")
    assert len(callbacks) == 2  # live event + e-mail task
    assert [m.subject for m in mail.outbox] == ["[Neighbourly] You are verified"]
    assert mail.outbox[0].to == [user.email]
    assert mail.outbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert services.notification_email(notification_id=notification.id) is False  # a retried task
    assert len(mail.outbox) == 1


def test_preferences_are_honoured(django_capture_on_commit_callbacks):
    user = UserFactory()
    services.preference_set(user=user, kind=Kind.VERIFICATION, delivery=Delivery.NEVER)
    services.preference_set(user=user, kind=Kind.REPLY, delivery=Delivery.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        send(user, kind=Kind.VERIFICATION, title="never mailed")
        send(user, kind=Kind.REPLY, title="mailed now")
        send(user, kind=Kind.MENTION, title="digest later")
    assert [m.subject for m in mail.outbox] == ["[Neighbourly] mailed now"]
    assert Notification.objects.filter(recipient=user).count() == 3


def test_alerts_are_always_immediate():
    user = UserFactory()
    with pytest.raises(ApplicationError, match="straight away"):
        services.preference_set(user=user, kind=Kind.ALERT, delivery=Delivery.DIGEST)
    Preference.objects.create(user=user, kind=Kind.ALERT, delivery=Delivery.DIGEST)  # legacy row
    assert services.delivery_for(user=user, kind=Kind.ALERT) == Delivery.IMMEDIATE


def test_preference_set_refuses_unknown_values():
    user = UserFactory()
    with pytest.raises(ApplicationError):
        services.preference_set(user=user, kind="gossip", delivery=Delivery.NEVER)
    with pytest.raises(ApplicationError):
        services.preference_set(user=user, kind=Kind.REPLY, delivery="carrier-pigeon")
    assert Preference.objects.exists() is False


def test_digest_task_run_twice_sends_one_email():
    user = UserFactory()
    quiet = UserFactory()
    send(user, title="First reply")
    send(user, kind=Kind.MENTION, title="You were mentioned")
    send(user, kind=Kind.REACTION, title="never e-mailed by default")
    read = send(user, title="already read")
    services.notifications_mark_read(user=user, up_to_id=read.id - 0)  # marks all up to it, including others
    Notification.objects.filter(recipient=user).exclude(pk=read.pk).update(read_at=None)
    day = date(2026, 11, 25)
    assert services.digests_send_due(day=day) == 1
    assert services.digests_send_due(day=day) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email] and "First reply" in message.body and "You were mentioned" in message.body
    assert "already read" not in message.body and "never e-mailed" not in message.body
    assert Digest.objects.get().sent_at is not None
    assert quiet.email not in [m.to[0] for m in mail.outbox]


def test_digest_claimed_by_a_run_that_died_is_taken_over_later():
    user = UserFactory()
    send(user, title="Waiting")
    day = date(2026, 11, 25)
    Digest.objects.create(user=user, day=day)  # claimed, never sent
    with pytest.raises(services.EmailBusy):  # the claim is fresh: someone is sending; the task retries later
        services.digest_send(user=user, day=day)
    assert mail.outbox == []
    Digest.objects.update(claimed_at=timezone.now() - timedelta(hours=1))
    assert services.digest_send(user=user, day=day) is True
    assert len(mail.outbox) == 1


def test_unsubscribe_link_works_without_login_and_cannot_be_forged(client):
    user = UserFactory()
    token = services.unsubscribe_token(user_id=user.id, kind=Kind.REPLY)
    page = client.get(f"/notifications/unsubscribe/{token}/")
    assert page.status_code == 200 and b"replies to my posts" in page.content.lower()
    assert Preference.objects.exists() is False  # GET (mail scanners) changes nothing
    assert client.post(f"/notifications/unsubscribe/{token}/").status_code == 200
    assert services.delivery_for(user=user, kind=Kind.REPLY) == Delivery.NEVER

    victim = UserFactory()
    forged = token.replace(token.split(":")[0], services.unsubscribe_token(user_id=victim.id).split(":")[0])
    for bad in (forged, token[:-2] + "xx", "nonsense"):
        assert client.post(f"/notifications/unsubscribe/{bad}/").status_code == 400
    assert Preference.objects.filter(user=victim).exists() is False


def test_unsubscribe_from_everything():
    user = UserFactory()
    services.unsubscribe_apply(token=services.unsubscribe_token(user_id=user.id), user_model=User)
    assert {p["delivery"] for p in preference_list(user=user)} == {Delivery.NEVER}


def test_nobody_is_notified_of_their_own_doing_or_while_inactive(django_capture_on_commit_callbacks):
    user, gone = UserFactory(), UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.notification_send(recipient=user, kind=Kind.REPLY, title="Me", actor=user) is None
        assert services.notification_send(recipient=gone, kind=Kind.REPLY, title="Gone") is None
    assert Notification.objects.exists() is False and callbacks == []


def test_a_grouped_kind_keeps_one_item_per_target_moved_to_the_top(django_capture_on_commit_callbacks):
    user, ana = UserFactory(), UserFactory()
    services.preference_set(user=user, kind=Kind.MESSAGE, delivery=Delivery.IMMEDIATE)
    def send_one(title, target):
        with django_capture_on_commit_callbacks(execute=True):
            return services.notification_send(recipient=user, kind=Kind.MESSAGE, title=title, actor=ana,
                                              target=target)

    first = send_one("1 new", "conversation:1")
    other = send_one("elsewhere", "conversation:2")
    second = send_one("2 new", "conversation:1")
    assert list(Notification.objects.order_by("id").values_list("id", "title")) == [(other.id, "elsewhere"),
                                                                                     (second.id, "2 new")]
    assert second.id > first.id
    assert [m.subject for m in mail.outbox] == ["[Neighbourly] 1 new", "[Neighbourly] elsewhere"]  # once per target


def test_opening_the_thing_marks_its_items_read_and_tells_the_other_tabs(django_capture_on_commit_callbacks,
                                                                          monkeypatch):
    user = UserFactory()
    sent = []
    keep = services.notification_send(recipient=user, kind=Kind.REPLY, title="other post", target="post:2")
    services.notification_send(recipient=user, kind=Kind.REPLY, title="this post", target="post:1")
    monkeypatch.setattr(services, "send_event_on_commit", lambda group, event: sent.append((group, event)))
    assert services.notifications_mark_read_for(user=user, target="post:1") == 1
    assert services.notifications_mark_read_for(user=user, target="post:1") == 0
    assert sent == [(f"user.{user.id}", {"type": "notification.read", "target": "post:1"})]
    assert list(Notification.objects.filter(read_at__isnull=True).values_list("id", flat=True)) == [keep.id]


def test_api_lists_the_target(api_as):
    user = UserFactory()
    services.notification_send(recipient=user, kind=Kind.REPLY, title="Sam replied", target="post:9", url="/posts/9/")
    (item,) = api_as(user).get_json("/notifications").json()["items"]
    assert (item["target"], item["url"]) == ("post:9", "/posts/9/")


def test_deleting_an_account_removes_what_others_were_told_of_it():
    from neighbourly.accounts.privacy import user_delete

    ana, ben = UserFactory(), UserFactory()
    services.notification_send(recipient=ben, kind=Kind.REPLY, title="Ana replied to your post", actor=ana)
    kept = services.notification_send(recipient=ben, kind=Kind.GROUP, title="Welcome to Allotment")
    services.notification_send(recipient=ana, kind=Kind.REPLY, title="Ben replied", actor=ben)
    user_delete(user=ana, keep_content=True)
    assert list(Notification.objects.values_list("id", flat=True)) == [kept.id]


def test_a_concurrent_send_for_the_same_grouped_item_is_replaced_not_doubled(monkeypatch):
    from django.db.models.query import QuerySet

    user, ana = UserFactory(), UserFactory()
    theirs = Notification.objects.create(recipient=user, kind=Kind.MESSAGE, title="theirs", target="conversation:1")
    original_first, stale = QuerySet.first, []

    def first_read_before_theirs_committed(self):
        if self.model is Notification and not stale:
            stale.append(True)
            return None
        return original_first(self)

    monkeypatch.setattr(QuerySet, "first", first_read_before_theirs_committed)
    sent = []
    monkeypatch.setattr(services, "send_event_on_commit", lambda group, event: sent.append(event))
    mine = services.notification_send(recipient=user, kind=Kind.MESSAGE, title="mine", actor=ana,
                                      target="conversation:1")
    assert list(Notification.objects.values_list("id", "title")) == [(mine.id, "mine")]
    assert [e["replaces"] for e in sent] == [theirs.id]
