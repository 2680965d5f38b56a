
import pytest

from neighbourly.communities.models import MembershipStatus
from neighbourly.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from neighbourly.moderation.appeals import appeal_create, appeal_decide
from neighbourly.moderation.models import Appeal, Case
from neighbourly.moderation.services import action_take
from neighbourly.notifications.models import Notification
from tests.moderation.conftest import report

pytestmark = pytest.mark.django_db


def _act(post, moderator, action="hide", **extra):
    return action_take(moderator=moderator.user, case_id=Case.objects.get(target_id=post.pk).pk, action=action,
                       guideline="honest", reason="Looks like a scam", **extra)


def test_appeal_once_goes_to_a_different_moderator(post, reporters, moderator, second_moderator, author):
    report(reporters[0], post)
    action = _act(post, moderator)
    with pytest.raises(NotFound):  # only the author may appeal
        appeal_create(user=reporters[0].user, action_id=action.pk, statement="x")
    with pytest.raises(ApplicationError):
        appeal_create(user=author.user, action_id=action.pk, statement="   ")
    appeal = appeal_create(user=author.user, action_id=action.pk, statement="It is a real shop")
    assert appeal.assigned_to == second_moderator.user
    assert Notification.objects.filter(recipient=second_moderator.user, title="An appeal waits for you").count() == 1
    with pytest.raises(Conflict):
        appeal_create(user=author.user, action_id=action.pk, statement="Please")
    with pytest.raises(PermissionDenied):  # the moderator who decided does not judge the appeal
        appeal_decide(moderator=moderator.user, appeal_id=appeal.pk, uphold=True, reason="I stand by it")
    appeal_decide(moderator=second_moderator.user, appeal_id=appeal.pk, uphold=True, reason="Agreed, it is a scam")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.decided_by) == ("upheld", second_moderator.user)
    post.refresh_from_db()
    assert post.hidden_at is not None
    assert Notification.objects.filter(recipient=author.user).order_by("-id")[0].title == (
        "Your appeal was decided: the decision is upheld")
    with pytest.raises(Conflict):
        appeal_decide(moderator=second_moderator.user, appeal_id=appeal.pk, uphold=False, reason="changed my mind")


def test_sole_moderator_decides_the_appeal_when_no_other_exists(post, reporters, moderator, author):
    report(reporters[0], post)
    action = _act(post, moderator)
    appeal = appeal_create(user=author.user, action_id=action.pk, statement="Please look again")
    assert appeal.assigned_to == moderator.user
    appeal_decide(moderator=moderator.user, appeal_id=appeal.pk, uphold=False, reason="On reflection, fine")
    post.refresh_from_db()
    assert post.hidden_at is None


def test_overturned_suspension_ends_it(post, reporters, moderator, second_moderator, author):
    report(reporters[0], post)
    action = _act(post, moderator, action="suspend", suspend_days=30)
    author.refresh_from_db()
    assert author.status == MembershipStatus.SUSPENDED
    appeal = appeal_create(user=author.user, action_id=action.pk, statement="I am not a spammer")  # while suspended
    appeal_decide(moderator=second_moderator.user, appeal_id=appeal.pk, uphold=False, reason="Too harsh")
    author.refresh_from_db()
    post.refresh_from_db()
    assert (author.status, author.suspended_until, post.hidden_at) == (MembershipStatus.VERIFIED, None, None)


def test_dismissal_and_pending_review_cannot_be_appealed(post, reporters, moderator, author, settings):
    settings.MODERATION_AUTO_HIDE_REPORTERS = 1
    report(reporters[0], post)
    auto = author.user and __import__("neighbourly.moderation.models", fromlist=["Action"]).Action.objects.get()
    with pytest.raises(ApplicationError):
        appeal_create(user=author.user, action_id=auto.pk, statement="x")
    dismissed = _act(post, moderator, action="dismiss")
    with pytest.raises(ApplicationError):
        appeal_create(user=author.user, action_id=dismissed.pk, statement="x")
    assert Appeal.objects.count() == 0


def test_other_community_moderator_cannot_decide_appeal(post, reporters, moderator, author, other_community):
    from tests.communities.factories import MembershipFactory

    report(reporters[0], post)
    appeal = appeal_create(user=author.user, action_id=_act(post, moderator).pk, statement="x")
    with pytest.raises(NotFound):
        appeal_decide(moderator=MembershipFactory(community=other_community, moderator=True).user,
                      appeal_id=appeal.pk, uphold=False, reason="x")
    appeal.refresh_from_db()
    assert appeal.status == "pending"
