"""Who is told of replies, reactions, mentions and urgent alerts (feed/notify.py via the services)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from neighbourly.communities.models import MembershipStatus
from neighbourly.feed import selectors, services
from neighbourly.feed.services import SafetyDetails
from neighbourly.notifications.models import Delivery, Kind, Notification
from neighbourly.notifications.services import notifications_mark_read, preference_set
from tests.communities.factories import MembershipFactory
from tests.feed.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a write and everything it queued on commit (the notification tasks run eagerly)."""

    def call(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return call


@pytest.fixture
def ana(community):
    return MembershipFactory(community=community, verified=True, user__profile__display_name="Ana Costa")


@pytest.fixture
def ben(community):
    return MembershipFactory(community=community, verified=True, user__profile__display_name="Ben Ode")


def name(m):
    return m.user.profile.display_name


def post_by(member, **kwargs):
    return PostFactory(community=member.community, author=member.user, author_membership=member, title="Ladder",
                       **kwargs)


def seen_by(member, post):
    return selectors.post_get_for_viewer(viewer=member.user, post_id=post.id)


def comment(run, member, post, body="Happy to help", parent_id=None):
    return run(services.comment_create, author=member.user, post=seen_by(member, post), body=body,
               parent_id=parent_id)


def items(member, kind=None):
    qs = Notification.objects.filter(recipient=member.user).order_by("id")
    return list(qs.filter(kind=kind) if kind else qs)


# --- replies --------------------------------------------------------------------------------


def test_a_comment_tells_the_post_author_with_a_link_to_the_comment(run, member, ana):
    post = post_by(member)
    made = comment(run, ana, post)
    (note,) = items(member)
    assert (note.kind, note.title, note.body) == (Kind.REPLY, f"{name(ana)} replied to your post “Ladder”", "Happy to help")
    assert note.url == f"/posts/{post.id}/#comment-{made.id}"
    assert (note.actor_id, note.target, note.read_at) == (ana.user_id, f"post:{post.id}", None)
    assert items(ana) == []  # never told of their own doing


def test_a_reply_tells_the_comment_author_and_the_post_author_once_each(run, member, ana, ben):
    post = post_by(member)
    first = comment(run, ana, post, "Which day?")
    comment(run, ben, post, "Saturday works", parent_id=first.id)
    assert [n.title for n in items(ana)] == [f"{name(ben)} replied to your comment on “Ladder”"]
    assert [n.title for n in items(member)] == [f"{name(ana)} replied to your post “Ladder”",
                                                f"{name(ben)} replied to your post “Ladder”"]
    comment(run, member, post, "Thanks both", parent_id=first.id)  # the post author replying
    assert [n.title for n in items(ana)][-1] == f"{name(member)} replied to your comment on “Ladder”"
    assert len(items(member)) == 2


@pytest.mark.parametrize("change", ["left", "unverified", "suspended", "inactive"])
def test_no_reply_notification_for_an_author_who_may_no_longer_see_the_post(run, member, ana, change):
    post = post_by(member)
    if change == "left":
        member.delete()
    elif change == "inactive":
        member.user.is_active = False
        member.user.save()
    else:
        member.status = MembershipStatus.PENDING if change == "unverified" else MembershipStatus.SUSPENDED
        member.suspended_until = timezone.now() + timedelta(days=3) if change == "suspended" else None
        member.save()
    comment(run, ana, post)
    assert Notification.objects.exists() is False


def test_no_notification_about_a_hidden_post(run, member, ana):
    post = post_by(member)
    visible = seen_by(ana, post)
    services.post_hide(post=post)
    run(services.comment_create, author=ana.user, post=visible, body="Late comment")
    run(services.reaction_set, user=ana.user, post=visible, kind="like")
    assert Notification.objects.exists() is False


# --- reactions ------------------------------------------------------------------------------


def test_reactions_are_one_item_per_post_that_counts_up(run, member, ana, ben, community):
    post = post_by(member)
    carl = MembershipFactory(community=community, verified=True, user__profile__display_name="Carl Dee")
    run(services.reaction_set, user=ana.user, post=seen_by(ana, post), kind="like")
    run(services.reaction_set, user=ben.user, post=seen_by(ben, post), kind="thanks")
    run(services.reaction_set, user=carl.user, post=seen_by(carl, post), kind="love")
    (note,) = items(member)
    assert note.title == "Carl Dee and 2 neighbours reacted to your post “Ladder”"
    assert (note.kind, note.actor_id, note.url, note.read_at) == (Kind.REACTION, carl.user_id, f"/posts/{post.id}/", None)
    run(services.reaction_set, user=ben.user, post=seen_by(ben, post), kind="love")  # another kind: not news
    assert [n.id for n in items(member)] == [note.id]


def test_taking_a_reaction_back_rewords_quietly_and_never_adds_an_item(run, member, ana, ben, monkeypatch):
    post = post_by(member)
    run(services.reaction_set, user=ana.user, post=seen_by(ana, post), kind="like")
    run(services.reaction_set, user=ben.user, post=seen_by(ben, post), kind="like")
    (note,) = items(member)
    sent = []
    monkeypatch.setattr("neighbourly.notifications.services.send_event_on_commit", lambda g, e: sent.append(e))
    run(services.reaction_remove, user=ben.user, post=seen_by(ben, post), kind="like")
    assert [(n.id, n.title, n.actor_id) for n in items(member)] == [
        (note.id, "Ana Costa reacted to your post “Ladder”", ana.user_id)]
    for _ in range(3):  # Ana toggles her reaction: the same unread item, no frame, no e-mail
        run(services.reaction_remove, user=ana.user, post=seen_by(ana, post), kind="like")
        run(services.reaction_set, user=ana.user, post=seen_by(ana, post), kind="like")
    assert [(n.id, n.read_at) for n in items(member)] == [(note.id, None)]
    assert sent == []


def test_a_new_reaction_after_reading_raises_the_same_item_unread_and_live(run, member, ana, ben, monkeypatch):
    post = post_by(member)
    run(services.reaction_set, user=ana.user, post=seen_by(ana, post), kind="like")
    (first,) = items(member)
    notifications_mark_read(user=member.user, up_to_id=first.id)
    sent = []
    monkeypatch.setattr("neighbourly.notifications.services.send_event_on_commit", lambda g, e: sent.append((g, e)))
    run(services.reaction_set, user=ben.user, post=seen_by(ben, post), kind="like")
    (again,) = items(member)
    assert again.id > first.id and again.read_at is None
    assert again.title == "Ben Ode and 1 neighbour reacted to your post “Ladder”"
    assert sent == [(f"user.{member.user_id}", {
        "type": "notification", "id": again.id, "kind": "reaction", "title": again.title, "body": "",
        "url": f"/posts/{post.id}/", "created_at": again.created_at.isoformat(), "target": f"post:{post.id}",
        "replaces": first.id,
    })]


def test_reacting_to_my_own_post_tells_nobody(run, member):
    post = post_by(member)
    run(services.reaction_set, user=member.user, post=seen_by(member, post), kind="like")
    assert Notification.objects.exists() is False


# --- mentions -------------------------------------------------------------------------------


def mention(m):
    return f"@[{name(m)}](user:{m.user_id})"


def test_a_mention_in_a_post_tells_the_neighbour(run, member, ana, pending_member, other_member):
    body = f"Ask {mention(ana)} or {mention(member)}, not {mention(pending_member)} or {mention(other_member)}"
    post = run(services.post_create, author=member.user, community=member.community, kind="general",
               title="Ladder", body=body)
    (note,) = items(ana)
    assert (note.kind, note.title) == (Kind.MENTION, f"{name(member)} mentioned you in “Ladder”")
    assert note.body.startswith(f"Ask @{name(ana)} or @{name(member)}")
    assert (note.url, note.actor_id) == (f"/posts/{post.id}/", member.user_id)
    assert items(member) == [] and items(pending_member) == [] and items(other_member) == []


def test_a_mention_in_a_comment_and_an_edit_tell_only_the_newly_mentioned(run, member, ana, ben):
    post = run(services.post_create, author=member.user, community=member.community, kind="general",
               title="Ladder", body=f"Ask {mention(ana)}")
    run(services.post_update, user=member.user, post=seen_by(member, post), body=f"Ask {mention(ana)} or {mention(ben)}")
    assert len(items(ana, Kind.MENTION)) == 1 and len(items(ben, Kind.MENTION)) == 1
    made = comment(run, ben, post, f"{mention(member)} and {mention(ana)}: I have one")
    assert [n.title for n in items(ana, Kind.MENTION)][-1] == f"{name(ben)} mentioned you in a comment on “Ladder”"
    assert items(ana, Kind.MENTION)[-1].url == f"/posts/{post.id}/#comment-{made.id}"
    assert [n.kind for n in items(member)] == [Kind.REPLY]  # the author hears of the reply once, not twice


# --- urgent alerts --------------------------------------------------------------------------


def test_an_urgent_alert_tells_every_verified_neighbour_at_once(run, member, ana, ben, pending_member, other_member):
    preference_set(user=ben.user, kind=Kind.ALERT, delivery=Delivery.NEVER)
    post = run(services.post_create, author=member.user, community=member.community, kind="safety",
               title="Gas smell on Elm St", body="Keep windows shut",
               safety=SafetyDetails("Elm St", timezone.now() - timedelta(minutes=5), urgent=True))
    for who in (ana, ben):
        (note,) = items(who)
        assert (note.kind, note.title, note.url) == (Kind.ALERT, "Urgent: Gas smell on Elm St", f"/posts/{post.id}/")
    assert items(member) == [] and items(pending_member) == [] and items(other_member) == []
    assert [m.to for m in mail.outbox] == [[ana.user.email]]  # immediate by default; Ben chose no e-mail


def test_a_post_without_mentions_or_urgency_queues_no_notification_work(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        services.post_create(author=member.user, community=member.community, kind="general", title="Hi")
    assert len(callbacks) == 2  # the new-files commit marker (core.storage) and feed.new: no notification task


# --- preferences per new kind ---------------------------------------------------------------


@pytest.mark.parametrize("kind", [Kind.REPLY, Kind.MENTION, Kind.REACTION])
@pytest.mark.parametrize("delivery", [Delivery.IMMEDIATE, Delivery.DIGEST, Delivery.NEVER])
def test_each_feed_kind_honours_the_e_mail_preference(run, member, ana, kind, delivery):
    from neighbourly.notifications.services import digests_send_due

    preference_set(user=member.user, kind=kind, delivery=delivery)
    post = post_by(member)
    if kind == Kind.REPLY:
        comment(run, ana, post)
    elif kind == Kind.MENTION:
        comment(run, ana, PostFactory(community=member.community, author=ana.user), f"see {mention(member)}")
    else:
        run(services.reaction_set, user=ana.user, post=seen_by(ana, post), kind="like")
    assert [n.kind for n in items(member)] == [kind]
    immediate = [m for m in mail.outbox if m.to == [member.user.email]]
    assert len(immediate) == (1 if delivery == Delivery.IMMEDIATE else 0)
    digests_send_due()
    digested = [m for m in mail.outbox if m.to == [member.user.email] and "neighbourhood today" in m.subject]
    assert len(digested) == (1 if delivery == Delivery.DIGEST else 0)


def test_opening_the_post_marks_its_notifications_read(run, client, member, ana):
    post = post_by(member)
    comment(run, ana, post)
    other = post_by(member)
    comment(run, ana, other)
    client.force_login(member.user)
    assert client.get(f"/posts/{post.id}/").status_code == 200
    assert {n.target: n.read_at is not None for n in items(member)} == {f"post:{post.id}": True,
                                                                          f"post:{other.id}": False}


@pytest.mark.parametrize("gone", ["hidden", "deleted"])
def test_a_hidden_or_deleted_post_takes_its_notifications_with_it(run, member, ana, gone):
    post = post_by(member)
    comment(run, ana, post)
    run(services.reaction_set, user=ana.user, post=seen_by(ana, post), kind="like")
    kept = post_by(member)
    comment(run, ana, kept)
    if gone == "hidden":
        services.post_hide(post=post)
    else:
        services.post_delete(user=member.user, post=seen_by(member, post))
    assert [n.target for n in items(member)] == [f"post:{kept.id}"]


# --- blocking -------------------------------------------------------------------------------


def test_a_blocked_neighbour_can_neither_mention_nor_reply_to_nor_be_suggested_to_me(run, member, ana, ben):
    from neighbourly.accounts.services import block_create
    from neighbourly.feed.mentions import mention_suggestions

    block_create(blocker=ana.user, blocked_id=member.user_id)
    post = run(services.post_create, author=member.user, community=member.community, kind="general",
               title="Ladder", body=f"Ask {mention(ana)} or {mention(ben)}")
    assert items(ana) == [] and [n.kind for n in items(ben)] == [Kind.MENTION]
    comment(run, member, post_by(ana))  # the one she blocked may still read her post; she hears nothing
    assert items(ana) == []
    names = [s["name"] for s in mention_suggestions(viewer=member.user, community=member.community, query="a")]
    assert name(ana) not in names  # blocked either way: not offered
    names = [s["name"] for s in mention_suggestions(viewer=ana.user, community=member.community, query="")]
    assert names == []
