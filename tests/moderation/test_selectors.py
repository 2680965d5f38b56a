"""Query budgets: the queue, the member log and the audit log cost the same whatever their size."""

import pytest

from neighbourly.moderation import selectors
from neighbourly.moderation.models import Case
from neighbourly.moderation.services import action_take
from tests.communities.factories import MembershipFactory
from tests.feed.factories import CommentFactory, PostFactory
from tests.moderation.conftest import report

pytestmark = pytest.mark.django_db


def _reported_items(community, reporters, n):
    for _ in range(n):
        post = PostFactory(community=community)
        for m in reporters:
            report(m, post)
        comment = CommentFactory(post=post)
        from neighbourly.moderation.services import report_create

        report_create(reporter=reporters[0].user, target_type="comment", target_id=comment.pk, guideline="be-kind")


def test_queue_query_count_is_constant(community, reporters, django_assert_num_queries):
    _reported_items(community, reporters, 2)
    # guidelines, cases + authors, reports of the page, posts, comments (+ their posts joined)
    with django_assert_num_queries(5):
        items, _ = selectors.case_queue(community=community)
    assert len(items) == 4
    _reported_items(community, reporters, 10)
    with django_assert_num_queries(5):
        items, cursor = selectors.case_queue(community=community)
    assert len(items) == 20 and cursor is not None


def _decide_all(community, moderator):
    for case in Case.objects.filter(community=community, status="open"):
        action_take(moderator=moderator.user, case_id=case.pk, action="hide", guideline="be-kind", reason="x")


def test_member_log_and_audit_query_counts_are_constant(community, reporters, moderator, django_assert_num_queries):
    from neighbourly.moderation import presenters

    _reported_items(community, reporters, 2)
    _decide_all(community, moderator)
    for n in (1, 10):
        with django_assert_num_queries(1):  # actions with their appeals joined
            [presenters.log_entry(a) for a in selectors.action_log_for_members(community=community)[0]]
        with django_assert_num_queries(3):  # actions (names, cases, appeals joined), verification, business decisions
            [presenters.audit_entry(e) for e in selectors.audit_log(community=community)[0]]
        _reported_items(community, reporters, n)
        _decide_all(community, moderator)


def test_queue_only_shows_own_community(community, other_community, reporters):
    _reported_items(community, reporters, 1)
    other = [MembershipFactory(community=other_community, verified=True)]
    _reported_items(other_community, other, 1)
    assert {i.case.community_id for i in selectors.case_queue(community=community)[0]} == {community.pk}
