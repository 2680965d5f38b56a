import pytest

from neighbourly.moderation import services
from tests.communities.factories import MembershipFactory
from tests.feed.factories import PostFactory


@pytest.fixture
def author(community):
    return MembershipFactory(community=community, verified=True, user__profile__display_name="Ada Author")


@pytest.fixture
def post(author):
    return PostFactory(community=author.community, author=author.user, author_membership=author,
                       title="Cheap watches", body="Buy my watches, act now")


@pytest.fixture
def reporters(community):
    return [MembershipFactory(community=community, verified=True) for _ in range(3)]


@pytest.fixture
def second_moderator(community):
    return MembershipFactory(community=community, moderator=True)


def report(member, post, guideline="keep-it-local", reason=""):
    return services.report_create(reporter=member.user, target_type="post", target_id=post.pk,
                                  guideline=guideline, reason=reason)
