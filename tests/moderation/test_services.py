import pytest

from neighbourly.core.errors import ApplicationError, Conflict, NotFound
from neighbourly.moderation.models import Report
from neighbourly.moderation.services import report_create
from tests.feed.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_report_post_once_per_member(member):
    post = PostFactory(community=member.community)
    report = report_create(reporter=member.user, target_type="post", target_id=post.id, reason="Spam")
    assert (report.community_id, report.target_type, report.target_id) == (member.community_id, "post", post.id)
    with pytest.raises(Conflict):
        report_create(reporter=member.user, target_type="post", target_id=post.id, reason="Again")
    assert Report.objects.count() == 1


def test_report_comment_and_refusals(member, other_member):
    comment = CommentFactory(post=PostFactory(community=member.community))
    report_create(reporter=member.user, target_type="comment", target_id=comment.id, reason="Rude")
    with pytest.raises(NotFound):
        report_create(reporter=other_member.user, target_type="comment", target_id=comment.id, reason="x")
    with pytest.raises(NotFound):
        report_create(reporter=member.user, target_type="post", target_id=999999, reason="x")
    with pytest.raises(ApplicationError):
        report_create(reporter=member.user, target_type="group", target_id=1, reason="x")
    with pytest.raises(ApplicationError):
        report_create(reporter=member.user, target_type="post", target_id=comment.post_id, reason="  ")
    assert Report.objects.count() == 1
