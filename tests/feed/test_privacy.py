import pytest

from neighbourly.feed import privacy, selectors, services
from neighbourly.feed.models import Comment, Post
from tests.communities.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_export_and_erase_keep_counts_right(member):
    neighbour = MembershipFactory(community=member.community, verified=True)
    post = services.post_create(author=neighbour.user, community=member.community, kind="poll", title="Day?",
                                poll_options=["Sat", "Sun"])
    mine = services.post_create(author=member.user, community=member.community, kind="general", title="Mine")
    seen = selectors.post_get_for_viewer(viewer=member.user, post_id=post.id)
    services.reaction_set(user=member.user, post=seen, kind="like")
    services.poll_vote(user=member.user, post=seen, option=1)
    services.comment_create(author=member.user, post=seen, body="Sunday!")
    data = privacy.export_user_data(user=member.user)
    assert [p["title"] for p in data["posts"]] == ["Mine"] and data["poll_votes"] == [{"post_id": post.id, "option": 1}]
    privacy.erase_user_data(user=member.user, keep_content=False)
    post.refresh_from_db()
    assert (post.reaction_counts, post.poll_counts, post.comment_count) == ({}, [0, 0], 0)
    assert Post.objects.filter(pk=mine.pk).exists() is False and Comment.objects.exists() is False


def test_erase_keeping_content_anonymises(member, api_as):
    post = services.post_create(author=member.user, community=member.community, kind="general", title="Stays")
    privacy.erase_user_data(user=member.user, keep_content=True)
    neighbour = MembershipFactory(community=member.community, verified=True)
    author = api_as(neighbour.user).get_json(f"/posts/{post.id}").json()["author"]
    assert author == {"id": 0, "display_name": "Former neighbour", "street": None, "avatar_url": None}
