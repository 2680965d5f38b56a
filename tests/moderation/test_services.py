from datetime import timedelta

import pytest
from django.utils import timezone

from neighbourly.communities.models import Membership, MembershipStatus
from neighbourly.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from neighbourly.feed.models import Post
from neighbourly.feed.selectors import feed_context_for_member, post_list_for_feed
from neighbourly.moderation import services
from neighbourly.moderation.models import Action, Case, CaseStatus, Report
from neighbourly.moderation.services import action_take, report_create
from neighbourly.notifications.models import Notification
from tests.feed.factories import CommentFactory, PostFactory
from tests.moderation.conftest import report

pytestmark = pytest.mark.django_db


def _case(post) -> Case:
    return Case.objects.get(target_type="post", target_id=post.pk)


def test_report_post_once_per_member(member):
    post = PostFactory(community=member.community)
    report_ = report_create(reporter=member.user, target_type="post", target_id=post.id, reason="Spam")
    assert (report_.community_id, report_.target_type, report_.target_id) == (member.community_id, "post", post.id)
    with pytest.raises(Conflict):
        report_create(reporter=member.user, target_type="post", target_id=post.id, reason="Again")
    with pytest.raises(Conflict):
        report_create(reporter=member.user, target_type="post", target_id=post.id, guideline="be-kind")
    assert Report.objects.count() == 1
    assert _case(post).reporter_count == 1


def test_report_comment_and_refusals(member, other_member):
    comment = CommentFactory(post=PostFactory(community=member.community))
    report_create(reporter=member.user, target_type="comment", target_id=comment.id, reason="Rude")
    with pytest.raises(NotFound):
        report_create(reporter=other_member.user, target_type="comment", target_id=comment.id, reason="x")
    with pytest.raises(NotFound):
        report_create(reporter=member.user, target_type="post", target_id=999999, reason="x")
    with pytest.raises(ApplicationError):
        report_create(reporter=member.user, target_type="nonsense", target_id=1, reason="x")
    with pytest.raises(ApplicationError):
        report_create(reporter=member.user, target_type="post", target_id=comment.post_id, reason="  ")
    with pytest.raises(ApplicationError):
        report_create(reporter=member.user, target_type="post", target_id=comment.post_id, guideline="made-up")
    assert Report.objects.count() == 1


def test_distinct_reporters_counted_and_guideline_code_as_reason(post, reporters):
    for m in reporters[:2]:
        report(m, post)
    report_create(reporter=reporters[2].user, target_type="post", target_id=post.pk, reason="be-kind")
    assert _case(post).reporter_count == 3
    assert sorted(Report.objects.values_list("guideline", flat=True)) == ["be-kind", "keep-it-local", "keep-it-local"]


def test_many_distinct_reporters_hide_pending_review_and_tell_author(post, reporters, settings, author):
    settings.MODERATION_AUTO_HIDE_REPORTERS = 3
    report(reporters[0], post)
    report(reporters[1], post)
    post.refresh_from_db()
    assert post.hidden_at is None
    report(reporters[2], post)
    post.refresh_from_db()
    case = _case(post)
    assert post.hidden_at is not None and Post.objects.filter(pk=post.pk).exists()  # hidden, never removed
    assert (case.status, case.hidden) == (CaseStatus.OPEN, True)  # still waits for a moderator
    assert list(Action.objects.values_list("kind", "moderator")) == [("auto_hide", None)]
    assert Notification.objects.get(recipient=author.user, kind="moderation").title.startswith("Your post is hidden")


def test_hide_takes_post_out_of_the_feed_and_tells_the_author(post, reporters, moderator, author):
    report(reporters[0], post)
    action = action_take(moderator=moderator.user, case_id=_case(post).pk, action="hide",
                         guideline="keep-it-local", reason="Adverts go on the businesses page")
    context = feed_context_for_member(viewer=reporters[1].user, slug=post.community.slug)
    assert post not in post_list_for_feed(viewer=reporters[1].user, context=context)
    note = Notification.objects.get(recipient=author.user)
    assert note.title == "Your post was hidden by a moderator"
    assert "Keep it local and relevant" in note.body and "Adverts go on the businesses page" in note.body
    assert note.url == f"/moderation/decisions/{action.pk}/"
    assert _case(post).status == CaseStatus.CLOSED


def test_dismiss_brings_back_an_item_hidden_by_the_rule(post, reporters, moderator, settings):
    settings.MODERATION_AUTO_HIDE_REPORTERS = 1
    report(reporters[0], post)
    action_take(moderator=moderator.user, case_id=_case(post).pk, action="dismiss", reason="Fine as it is")
    post.refresh_from_db()
    assert post.hidden_at is None


@pytest.mark.parametrize("kwargs", [
    {"action": "delete", "guideline": "be-kind", "reason": "x"},
    {"action": "hide", "guideline": "be-kind", "reason": "  "},
    {"action": "hide", "guideline": "", "reason": "x"},
    {"action": "hide", "guideline": "nope", "reason": "x"},
    {"action": "suspend", "guideline": "be-kind", "reason": "x"},
    {"action": "suspend", "guideline": "be-kind", "reason": "x", "suspend_days": 0},
    {"action": "suspend", "guideline": "be-kind", "reason": "x", "suspend_days": 400},
], ids=["unknown", "no-reason", "no-guideline", "bad-guideline", "no-days", "zero-days", "too-long"])
def test_bad_action_input_changes_nothing(post, reporters, moderator, author, kwargs):
    report(reporters[0], post)
    with pytest.raises(ApplicationError):
        action_take(moderator=moderator.user, case_id=_case(post).pk, **kwargs)
    post.refresh_from_db()
    author.refresh_from_db()
    assert (post.hidden_at, author.status, Action.objects.count()) == (None, MembershipStatus.VERIFIED, 0)
    assert _case(post).status == CaseStatus.OPEN


def test_decided_twice_is_a_conflict(post, reporters, moderator):
    report(reporters[0], post)
    action_take(moderator=moderator.user, case_id=_case(post).pk, action="warn", guideline="be-kind", reason="x")
    with pytest.raises(Conflict):
        action_take(moderator=moderator.user, case_id=_case(post).pk, action="hide", guideline="be-kind", reason="y")
    assert Action.objects.count() == 1


def test_other_community_moderator_cannot_act(post, reporters, other_community):
    from tests.communities.factories import MembershipFactory

    other_mod = MembershipFactory(community=other_community, moderator=True)
    report(reporters[0], post)
    with pytest.raises(NotFound):
        action_take(moderator=other_mod.user, case_id=_case(post).pk, action="hide", guideline="be-kind", reason="x")
    with pytest.raises(NotFound):
        action_take(moderator=reporters[1].user, case_id=_case(post).pk, action="hide", guideline="be-kind", reason="x")
    assert Action.objects.count() == 0


def test_moderator_cannot_decide_about_own_post(moderator, reporters):
    own = PostFactory(community=moderator.community, author=moderator.user)
    report(reporters[0], own)
    with pytest.raises(PermissionDenied):
        action_take(moderator=moderator.user, case_id=_case(own).pk, action="dismiss", reason="mine is fine")


def test_suspend_refuses_posting_until_it_ends(post, reporters, moderator, author):
    from neighbourly.communities.selectors import MembershipSuspended, membership_require_verified
    from neighbourly.feed.services import post_create

    report(reporters[0], post)
    action = action_take(moderator=moderator.user, case_id=_case(post).pk, action="suspend", guideline="be-kind",
                         reason="Repeated adverts", suspend_days=7)
    author.refresh_from_db()
    assert author.status == MembershipStatus.SUSPENDED and author.suspended_until == action.suspended_until
    with pytest.raises(MembershipSuspended) as refused:
        post_create(author=author.user, community=author.community, kind="general", title="hi", body="x")
    assert refused.value.status_code == 403 and "suspended until" in refused.value.message
    assert Post.objects.filter(author=author.user).count() == 1
    # Once the period has passed, the member counts as verified again; reads write nothing (the
    # community page or the periodic task lifts the suspension).
    Membership.objects.filter(pk=author.pk).update(suspended_until=timezone.now() - timedelta(seconds=1))
    assert membership_require_verified(user=author.user, community=author.community).status == "verified"
    post_create(author=author.user, community=author.community, kind="general", title="back", body="x")
    assert Post.objects.filter(author=author.user).count() == 2
    author.refresh_from_db()
    assert author.status == MembershipStatus.SUSPENDED


def test_periodic_task_lifts_elapsed_suspensions_only(community):
    from neighbourly.moderation.tasks import suspensions_lift_elapsed_task
    from tests.communities.factories import MembershipFactory

    past = MembershipFactory(community=community, verified=True, status="suspended",
                             suspended_until=timezone.now() - timedelta(minutes=1))
    future = MembershipFactory(community=community, verified=True, status="suspended",
                               suspended_until=timezone.now() + timedelta(days=1))
    assert suspensions_lift_elapsed_task.delay().get() == 1
    assert suspensions_lift_elapsed_task.delay().get() == 0
    past.refresh_from_db(), future.refresh_from_db()
    assert (past.status, future.status) == ("verified", "suspended")


def test_report_chat_message_and_hide_it(member, moderator):
    from neighbourly.realtime.models import Message
    from neighbourly.realtime.moderation import HIDDEN_TEXT
    from neighbourly.realtime.services import chat_message_send
    from tests.realtime.factories import room_with

    room = room_with(member.community, member.user, moderator.user)
    message, _ = chat_message_send(user=moderator.user, conversation_id=room.pk, body="rude words", client_id="a")
    services.report_create(reporter=member.user, target_type="message", target_id=message.pk, guideline="be-kind")
    case = Case.objects.get(target_type="message")
    assert case.author_id == moderator.user.pk
    other = __import__("tests.communities.factories", fromlist=["x"]).MembershipFactory(
        community=member.community, moderator=True)
    action = action_take(moderator=other.user, case_id=case.pk, action="hide", guideline="be-kind", reason="Unkind")
    assert Message.objects.get(pk=message.pk).body == HIDDEN_TEXT
    assert action.content_snapshot == "rude words"


def test_report_a_group_and_hide_it(member, moderator):
    from neighbourly.groups.models import Group
    from neighbourly.groups.services import group_create

    group = group_create(creator=member.user, community=member.community, name="Rare stamps", description="Buy cheap",
                         kind="interest", visibility="open")
    other = __import__("tests.communities.factories", fromlist=["x"]).MembershipFactory(
        community=member.community, verified=True)
    services.report_create(reporter=other.user, target_type="group", target_id=group.pk, guideline="honest")
    case = Case.objects.get(target_type="group")
    assert case.author_id == member.user.pk
    action_take(moderator=moderator.user, case_id=case.pk, action="hide", guideline="honest", reason="A scam")
    assert Group.objects.get(pk=group.pk).archived_at is not None
