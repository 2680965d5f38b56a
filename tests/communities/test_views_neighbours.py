"""The profile card page, Block/Unblock, and names linking to the card across the pages."""

import pytest
from django.test import Client

from neighbourly.accounts.models import Block, NeighbourLabel
from neighbourly.accounts.services import block_create
from neighbourly.groups.services import group_create, group_join
from neighbourly.realtime.models import Conversation
from neighbourly.realtime.services import conversation_direct_get_or_create
from tests.communities.factories import MembershipFactory
from tests.feed.factories import CommentFactory, PostFactory
from tests.realtime.factories import room_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(member):
    ana = MembershipFactory(community=member.community, verified=True, user__profile__display_name="Ana Ruiz")
    ana.address.number = "4711"
    ana.address.street = "Orchard Lane"
    ana.address.save()
    return ana


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def card_link(membership):
    return f'<a class="neighbour-link" href="/neighbours/{membership.user_id}/">'


def test_card_page_shows_name_street_and_message_never_a_house_number(member, ana):
    html = client_for(member.user).get(f"/neighbours/{ana.user_id}/").content.decode()
    assert "<h1 id=\"neighbour-name\">Ana Ruiz</h1>" in html and "Orchard Lane" in html
    assert "4711" not in html
    assert '<button type="submit" class="button">Message</button>' in html
    assert f'name="with" value="{ana.user_id}"' in html
    assert "Yes, block Ana Ruiz" in html


def test_card_page_without_street_for_name_only(member, ana):
    ana.user.profile.neighbour_label = NeighbourLabel.NAME_ONLY
    ana.user.profile.save()
    html = client_for(member.user).get(f"/neighbours/{ana.user_id}/").content.decode()
    assert "Ana Ruiz" in html and "Orchard Lane" not in html


def test_card_page_of_another_community_is_404(member, other_member):
    assert client_for(member.user).get(f"/neighbours/{other_member.user_id}/").status_code == 404
    assert client_for(other_member.user).get(f"/neighbours/{member.user_id}/").status_code == 404


def test_card_page_needs_a_login(ana):
    response = Client().get(f"/neighbours/{ana.user_id}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_htmx_gets_the_card_alone(member, ana):
    html = client_for(member.user).get(f"/neighbours/{ana.user_id}/", HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<article class="card neighbour-card"') and "<html" not in html


def test_message_button_opens_then_reuses_the_direct_conversation(member, ana):
    client = client_for(member.user)
    first = client.post("/messages/new", {"with": ana.user_id})
    conversation = Conversation.objects.get()
    assert first.status_code == 302 and first["Location"] == f"/messages/{conversation.id}/"
    again = client.post("/messages/new", {"with": ana.user_id})
    assert again["Location"] == f"/messages/{conversation.id}/" and Conversation.objects.count() == 1


def test_message_to_someone_who_blocked_me_goes_back_to_the_card_with_a_message(member, ana):
    block_create(blocker=ana.user, blocked_id=member.user_id)
    client = client_for(member.user)
    response = client.post("/messages/new", {"with": ana.user_id}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/neighbours/{ana.user_id}/"
    assert "You cannot send messages to this neighbour." in html
    assert '<button type="submit" class="button">Message</button>' not in html
    assert Conversation.objects.exists() is False


def test_block_then_unblock_from_the_account_page(member, ana):
    client = client_for(member.user)
    response = client.post(f"/neighbours/{ana.user_id}/block", follow=True)
    html = response.content.decode()
    assert Block.objects.filter(blocker=member.user, blocked=ana.user).exists()
    assert "You blocked Ana Ruiz" in html and "Unblock Ana Ruiz" in html
    settings = client.get("/account/").content.decode()
    assert "Blocked neighbours" in settings and "Unblock Ana Ruiz" in settings
    response = client.post(f"/neighbours/{ana.user_id}/unblock", {"next": "/account/#blocked"})
    assert response.status_code == 302 and response["Location"] == "/account/#blocked"
    assert Block.objects.exists() is False
    assert "You have not blocked anyone." in client.get("/account/").content.decode()


def test_block_needs_post_and_a_neighbour(member, other_member):
    client = client_for(member.user)
    assert client.get(f"/neighbours/{other_member.user_id}/block").status_code == 405
    assert client.post(f"/neighbours/{other_member.user_id}/block").status_code == 404
    assert Block.objects.exists() is False


def test_unblock_ignores_an_outside_next(member, ana):
    block_create(blocker=member.user, blocked_id=ana.user_id)
    response = client_for(member.user).post(f"/neighbours/{ana.user_id}/unblock", {"next": "https://evil.example/"})
    assert response["Location"] == "/account/"


def test_names_link_to_the_card_on_the_feed_post_comments_and_directory(member, ana):
    post = PostFactory(community=member.community, author=ana.user, author_membership=ana, title="Spare eggs")
    CommentFactory(post=post, author=ana.user, author_membership=ana)
    ana.user.profile.in_directory = True
    ana.user.profile.save()
    client = client_for(member.user)
    feed = client.get(f"/communities/{member.community.slug}/").content.decode()
    assert card_link(ana) + "Ana Ruiz</a>" in feed
    page = client.get(f"/posts/{post.id}/").content.decode()
    assert page.count(card_link(ana)) == 2  # the post and the comment
    directory = client.get(f"/communities/{member.community.slug}/directory/").content.decode()
    assert card_link(ana) + "Ana Ruiz</a>" in directory
    assert "4711" not in feed + page + directory


def test_names_link_to_the_card_in_group_members_and_chat_rooms(member, ana):
    group = group_create(creator=member.user, community=member.community, name="Allotments")
    group_join(user=ana.user, group=group)
    client = client_for(member.user)
    assert card_link(ana) in client.get(f"/groups/{group.id}/").content.decode()
    conversation, _ = conversation_direct_get_or_create(user=member.user, other_user_id=ana.user_id)
    assert card_link(ana) in client.get(f"/messages/{conversation.id}/").content.decode()
    room = room_with(member.community, member.user, ana.user, title="Allotment rota")
    assert card_link(ana) in client.get(f"/messages/{room.id}/").content.decode()


def test_room_of_a_blocked_direct_conversation_hides_the_composer(member, ana):
    conversation, _ = conversation_direct_get_or_create(user=member.user, other_user_id=ana.user_id)
    block_create(blocker=ana.user, blocked_id=member.user_id)
    html = client_for(member.user).get(f"/messages/{conversation.id}/").content.decode()
    assert "one of you blocked the other" in html and "data-composer hidden" in html


def test_former_neighbour_has_no_link(member, ana):
    post = PostFactory(community=member.community, author=ana.user, author_membership=ana)
    CommentFactory(post=post, author=None, body="Old words")
    html = client_for(member.user).get(f"/posts/{post.id}/").content.decode()
    assert '<span class="neighbour-name">Former neighbour</span>' in html
