"""Blocking a neighbour: the services and selectors, and what a block does to messages and the feed."""

import pytest
from django.test import Client

from neighbourly.accounts.models import Block
from neighbourly.accounts.privacy import user_export
from neighbourly.accounts.selectors import block_list, block_related_ids, blocked_between
from neighbourly.accounts.services import block_delete
from neighbourly.communities.services import neighbour_block as block_create
from neighbourly.core.errors import ApplicationError, NotFound, PermissionDenied
from neighbourly.feed.assembly import feed_page_assemble
from neighbourly.feed.selectors import comment_list_for_post, feed_context_for_member
from neighbourly.realtime.models import Conversation, Message
from neighbourly.realtime.services import chat_message_send, conversation_direct_get_or_create
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.feed.factories import CommentFactory, PostFactory
from tests.realtime.factories import room_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(member):
    return MembershipFactory(community=member.community, verified=True, user__profile__display_name="Nell Ward")


# --- services and selectors ----------------------------------------------------------------


def test_block_and_unblock_are_idempotent(member, neighbour):
    first = block_create(blocker=member.user, blocked_id=neighbour.user_id)
    again = block_create(blocker=member.user, blocked_id=neighbour.user_id)
    assert first.pk == again.pk and Block.objects.count() == 1
    assert [b.blocked.profile.display_name for b in block_list(user=member.user)] == ["Nell Ward"]
    assert block_delete(blocker=member.user, blocked_id=neighbour.user_id) is True
    assert block_delete(blocker=member.user, blocked_id=neighbour.user_id) is False
    assert Block.objects.exists() is False


def test_blocking_oneself_is_refused(member):
    with pytest.raises(ApplicationError):
        block_create(blocker=member.user, blocked_id=member.user_id)
    assert Block.objects.exists() is False


def test_blocking_someone_who_is_not_a_neighbour_is_not_found(member, other_member):
    with pytest.raises(NotFound):
        block_create(blocker=member.user, blocked_id=other_member.user_id)
    assert Block.objects.exists() is False


def test_blocked_between_is_symmetric_and_related_ids_cover_both_ways(member, neighbour):
    third = MembershipFactory(community=member.community, verified=True)
    assert blocked_between(a_id=member.user_id, b_id=neighbour.user_id) is False
    block_create(blocker=member.user, blocked_id=neighbour.user_id)
    block_create(blocker=third.user, blocked_id=member.user_id)
    assert blocked_between(a_id=member.user_id, b_id=neighbour.user_id) is True
    assert blocked_between(a_id=neighbour.user_id, b_id=member.user_id) is True
    assert blocked_between(a_id=neighbour.user_id, b_id=third.user_id) is False
    assert block_related_ids(user_id=member.user_id) == {neighbour.user_id, third.user_id}
    assert block_related_ids(user_id=neighbour.user_id) == {member.user_id}


def test_block_list_query_count_is_constant(member, django_assert_num_queries):
    def add(n):
        for _ in range(n):
            block_create(blocker=member.user, blocked_id=MembershipFactory(community=member.community,
                                                                            verified=True).user_id)

    add(2)
    with django_assert_num_queries(1):
        assert len([b.blocked.profile.display_name for b in block_list(user=member.user)]) == 2
    add(20)
    with django_assert_num_queries(1):
        assert len([b.blocked.profile.display_name for b in block_list(user=member.user)]) == 22


def test_export_lists_whom_i_blocked_but_not_who_blocked_me(member, neighbour):
    block_create(blocker=member.user, blocked_id=neighbour.user_id)
    assert [b["display_name"] for b in user_export(user=member.user)["blocked"]] == ["Nell Ward"]
    assert user_export(user=neighbour.user)["blocked"] == []


# --- direct messages -----------------------------------------------------------------------


@pytest.mark.parametrize("who_blocks", ["me", "them"])
def test_a_block_either_way_refuses_starting_a_direct_conversation(member, neighbour, who_blocks):
    blocker, blocked = (member, neighbour) if who_blocks == "me" else (neighbour, member)
    block_create(blocker=blocker.user, blocked_id=blocked.user_id)
    with pytest.raises(PermissionDenied):
        conversation_direct_get_or_create(user=member.user, other_user_id=neighbour.user_id)
    assert Conversation.objects.exists() is False


@pytest.mark.parametrize("sender", ["blocker", "blocked"])
def test_a_block_refuses_messages_in_an_existing_direct_conversation_either_way(member, neighbour, sender):
    conversation, _ = conversation_direct_get_or_create(user=member.user, other_user_id=neighbour.user_id)
    chat_message_send(user=neighbour.user, conversation_id=conversation.id, body="Hi!", client_id="1")
    block_create(blocker=member.user, blocked_id=neighbour.user_id)
    author = member if sender == "blocker" else neighbour
    with pytest.raises(PermissionDenied):
        chat_message_send(user=author.user, conversation_id=conversation.id, body="More", client_id="2")
    assert list(Message.objects.values_list("body", flat=True)) == ["Hi!"]
    block_delete(blocker=member.user, blocked_id=neighbour.user_id)
    chat_message_send(user=author.user, conversation_id=conversation.id, body="Friends again", client_id="3")
    assert Message.objects.count() == 2


def test_a_block_does_not_stop_a_group_room(member, neighbour):
    room = room_with(member.community, member.user, neighbour.user)
    block_create(blocker=member.user, blocked_id=neighbour.user_id)
    message, created = chat_message_send(user=neighbour.user, conversation_id=room.id, body="Group news", client_id="1")
    assert created is True and message.seq == 1


# --- the feed ------------------------------------------------------------------------------


def _titles(member):
    context = feed_context_for_member(viewer=member.user, slug=member.community.slug)
    return [item.obj.title for item in feed_page_assemble(viewer=member.user, context=context).items]


def test_the_blocker_no_longer_sees_their_posts_but_they_still_see_mine(member, neighbour):
    PostFactory(community=member.community, author=neighbour.user, title="From Nell")
    PostFactory(community=member.community, author=member.user, title="From me")
    block_create(blocker=member.user, blocked_id=neighbour.user_id)
    assert _titles(member) == ["From me"]
    assert _titles(neighbour) == ["From me", "From Nell"]


def test_blocked_authors_from_nearby_communities_are_hidden_and_pages_stay_full(member):
    nearby = CommunityFactory()
    member.community.nearby.add(nearby)
    far = MembershipFactory(community=nearby, verified=True)
    for i in range(25):
        PostFactory(community=nearby, author=far.user, visibility="nearby", title=f"far {i}")
    for i in range(20):
        PostFactory(community=member.community, author=member.user, title=f"mine {i}")
    for i in range(25):
        PostFactory(community=nearby, author=far.user, visibility="nearby", title=f"later far {i}")
    block_create(blocker=member.user, blocked_id=far.user_id)
    titles = _titles(member)
    assert len(titles) == 20 and all(t.startswith("mine") for t in titles)


def test_feed_query_count_is_the_same_with_blocks(member, neighbour, django_assert_num_queries):
    client = Client()
    client.force_login(member.user)
    url = f"/communities/{member.community.slug}/"
    for _ in range(5):
        PostFactory(community=member.community, author=neighbour.user, author_membership=neighbour)
        PostFactory(community=member.community, author=member.user, author_membership=member)
    client.get(url)  # warms the cached local offers (merchants)
    with django_assert_num_queries(5):
        client.get(url)
    block_create(blocker=member.user, blocked_id=neighbour.user_id)
    with django_assert_num_queries(5):  # session, user, member context, posts (blocks as a subquery), images
        html = client.get(url).content.decode()
    assert html.count('class="card post ') == 5


def test_comments_of_blocked_people_are_hidden_and_replies_to_them_keep_a_placeholder(member, neighbour):
    post = PostFactory(community=member.community, author=member.user)
    lone = CommentFactory(post=post, author=neighbour.user, body="Lone blocked")
    replied = CommentFactory(post=post, author=neighbour.user, body="Blocked, with a reply")
    CommentFactory(post=post, author=member.user, parent=replied, body="My reply")
    CommentFactory(post=post, author=member.user, body="My comment")
    mine = CommentFactory(post=post, author=member.user, body="Mine, answered")
    CommentFactory(post=post, author=neighbour.user, parent=mine, body="Blocked reply")
    block_create(blocker=member.user, blocked_id=neighbour.user_id)

    comments = comment_list_for_post(post=post, viewer=member.user)

    shown = [(c.body, c.from_blocked, [r.body for r in c.reply_list]) for c in comments]
    assert shown == [
        ("Blocked, with a reply", True, ["My reply"]),
        ("My comment", False, []),
        ("Mine, answered", False, []),
    ]
    assert lone.id not in [c.id for c in comments]
    assert len(comment_list_for_post(post=post, viewer=neighbour.user)) == 4  # top-level, nothing hidden

    client = Client()
    client.force_login(member.user)
    html = client.get(f"/posts/{post.id}/").content.decode()
    assert "A comment from someone you blocked." in html and "My reply" in html
    assert "Lone blocked" not in html and "Blocked, with a reply" not in html and "Blocked reply" not in html
