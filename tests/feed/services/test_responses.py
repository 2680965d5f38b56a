from datetime import timedelta

import pytest
from django.utils import timezone

from neighbourly.core.errors import ApplicationError, Conflict, NotFound
from neighbourly.feed import selectors, services
from neighbourly.feed.models import Comment, EventRsvp, PollVote, Reaction
from neighbourly.feed.services import EventDetails
from tests.communities.factories import MembershipFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def make(member, **kwargs):
    kwargs.setdefault("kind", "general")
    kwargs.setdefault("title", "Hello")
    return services.post_create(author=member.user, community=member.community, **kwargs)


def see(member, post):
    return selectors.post_get_for_viewer(viewer=member.user, post_id=post.id)


def test_poll_vote_once_counts_and_double_vote_refused(member):
    post = make(member, kind="poll", title="Day?", poll_options=["Sat", "Sun", "Mon"])
    neighbour = MembershipFactory(community=member.community, verified=True)
    services.poll_vote(user=member.user, post=see(member, post), option=1)
    services.poll_vote(user=neighbour.user, post=see(neighbour, post), option=1)
    with pytest.raises(Conflict):
        services.poll_vote(user=member.user, post=see(member, post), option=0)
    with pytest.raises(ApplicationError):
        services.poll_vote(user=MembershipFactory(community=member.community, verified=True).user,
                           post=see(member, post), option=3)
    post.refresh_from_db()
    assert post.poll_counts == [0, 2, 0]
    assert PollVote.objects.count() == 2


def test_rsvp_changes_answer_and_counts(member):
    post = make(member, kind="event", title="Fete", event=EventDetails(NOW, NOW + timedelta(hours=1), "Green"))
    services.event_rsvp(user=member.user, post=see(member, post), status="going")
    services.event_rsvp(user=member.user, post=see(member, post), status="maybe")
    post.refresh_from_db()
    assert post.rsvp_counts == {"going": 0, "maybe": 1, "not_going": 0}
    assert EventRsvp.objects.get().status == "maybe"
    with pytest.raises(NotFound):
        services.event_rsvp(user=member.user, post=see(member, make(member, title="x")), status="going")


def test_reactions_one_per_member_replace_and_remove(member):
    post = make(member, title="Hi")
    services.reaction_set(user=member.user, post=see(member, post), kind="like")
    services.reaction_set(user=member.user, post=see(member, post), kind="thanks")
    post.refresh_from_db()
    assert post.reaction_counts == {"thanks": 1}
    services.reaction_remove(user=member.user, post=see(member, post), kind="thanks")
    post.refresh_from_db()
    assert (post.reaction_counts, Reaction.objects.count()) == ({}, 0)
    with pytest.raises(ApplicationError):
        services.reaction_set(user=member.user, post=see(member, post), kind="angry")


def test_comments_one_level_of_replies(member):
    post = make(member, title="Hi")
    top = services.comment_create(author=member.user, post=see(member, post), body="First")
    reply = services.comment_create(author=member.user, post=see(member, post), body="Reply", parent_id=top.id)
    deeper = services.comment_create(author=member.user, post=see(member, post), body="Deeper", parent_id=reply.id)
    assert deeper.parent_id == top.id
    other_post = make(member, title="Other")
    with pytest.raises(ApplicationError):
        services.comment_create(author=member.user, post=see(member, other_post), body="x", parent_id=top.id)
    post.refresh_from_db()
    assert post.comment_count == 3
    assert [c.body for c in selectors.comment_list_for_post(post=post)] == ["First"]
    assert [c.body for c in selectors.comment_list_for_post(post=post)[0].reply_list] == ["Reply", "Deeper"]
    assert Comment.objects.filter(post=other_post).exists() is False
