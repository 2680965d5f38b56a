import factory
from factory.django import DjangoModelFactory

from neighbourly.feed.models import Comment, Post, PostKind, Visibility
from tests.accounts.factories import UserFactory
from tests.communities.factories import CommunityFactory


class PostFactory(DjangoModelFactory):
    """A general post. Pass `author_membership` to show the author's street."""

    class Meta:
        model = Post

    community = factory.SubFactory(CommunityFactory)
    author = factory.SubFactory(UserFactory)
    kind = PostKind.GENERAL
    title = factory.Sequence(lambda n: f"Post {n}")
    body = "Hello neighbours"
    visibility = Visibility.COMMUNITY


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment {n}")
