import pytest
from django.test import Client

from neighbourly.realtime.models import Conversation
from neighbourly.realtime.services import chat_message_send, conversation_direct_get_or_create
from tests.communities.factories import MembershipFactory
from tests.realtime.factories import room_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(member):
    return MembershipFactory(community=member.community, verified=True)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_list_shows_unread_badge(member, neighbour):
    conversation, _ = conversation_direct_get_or_create(user=member.user, other_user_id=neighbour.user_id)
    chat_message_send(user=neighbour.user, conversation_id=conversation.id, body="Fancy a cuppa?", client_id="1")
    page = client_for(member.user).get("/messages/").content.decode()
    assert "1 unread" in page and "Fancy a cuppa?" in page
    assert neighbour.user.profile.display_name in page


def test_list_query_count_does_not_grow(member, django_assert_num_queries):
    client = client_for(member.user)

    def add(n):
        for _ in range(n):
            other = MembershipFactory(community=member.community, verified=True)
            conversation, _ = conversation_direct_get_or_create(user=member.user, other_user_id=other.user_id)
            chat_message_send(user=other.user, conversation_id=conversation.id, body="hi", client_id="1")

    add(2)
    with django_assert_num_queries(5):  # session, user, profile (page header), conversations, members
        client.get("/messages/")
    add(20)
    with django_assert_num_queries(5):
        client.get("/messages/")


def test_room_renders_history_and_hooks(member, neighbour):
    room = room_with(member.community, member.user, neighbour.user)
    for i in range(3):
        chat_message_send(user=neighbour.user, conversation_id=room.id, body=f"<b>m{i}</b>", client_id=str(i))
    page = client_for(member.user).get(f"/messages/{room.id}/").content.decode()
    assert f'data-conversation-room="{room.id}"' in page and 'data-last-seq="3"' in page
    assert "&lt;b&gt;m2&lt;/b&gt;" in page and "<b>m2</b>" not in page
    assert "js/chat.js" in page and "js/realtime.js" in page


def test_room_of_others_is_404(member, other_member, neighbour):
    room = room_with(member.community, member.user, neighbour.user)
    outsider = MembershipFactory(community=member.community, verified=True)
    for user in (other_member.user, outsider.user):
        assert client_for(user).get(f"/messages/{room.id}/").status_code == 404


def test_start_conversation_from_a_neighbours_name(member, neighbour):
    client = client_for(member.user)
    page = client.get(f"/messages/new?with={neighbour.user_id}")
    assert page.status_code == 200 and neighbour.user.profile.display_name in page.content.decode()
    response = client.post("/messages/new", {"with": neighbour.user_id})
    conversation = Conversation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/messages/{conversation.id}/"
    assert client.post("/messages/new", {"with": neighbour.user_id})["Location"] == f"/messages/{conversation.id}/"
    assert Conversation.objects.count() == 1


def test_start_conversation_with_other_community_is_404(member, other_member):
    client = client_for(member.user)
    assert client.get(f"/messages/new?with={other_member.user_id}").status_code == 404
    assert client.post("/messages/new", {"with": other_member.user_id}).status_code == 404
    assert Conversation.objects.exists() is False


def test_anonymous_is_sent_to_login(db):
    assert Client().get("/messages/").status_code == 302


# --- New message -----------------------------------------------------------------------------


def test_list_has_new_message_and_follows_its_conversations_live(member, neighbour):
    conversation, _ = conversation_direct_get_or_create(user=member.user, other_user_id=neighbour.user_id)
    page = client_for(member.user).get("/messages/").content.decode()
    assert '<a class="button" href="/messages/new">New message</a>' in page
    assert f'data-conversation="{conversation.id}" data-last-seq="0"' in page and "js/messages.js" in page
    assert "<script>" not in page  # no inline script (strict CSP)


def test_new_message_search_plain_and_htmx(member):
    MembershipFactory(community=member.community, verified=True, user__profile__display_name="Margaret Ellis")
    client = client_for(member.user)
    page = client.get("/messages/new").content.decode()
    assert '<label for="neighbour-q">Neighbour\'s name</label>' in page and "Margaret" not in page
    page = client.get("/messages/new?q=marg").content.decode()
    assert "<h1>New message</h1>" in page and "Message Margaret Ellis</button>" in page
    part = client.get("/messages/new?q=marg", HTTP_HX_REQUEST="true").content.decode()
    assert part.lstrip().startswith('<div id="neighbour-results"') and "Message Margaret Ellis</button>" in part
    assert "Type at least 2 letters." in client.get("/messages/new?q=m", HTTP_HX_REQUEST="true").content.decode()
    none = client.get("/messages/new?q=zzz", HTTP_HX_REQUEST="true").content.decode()
    assert "No verified neighbour called “zzz”." in none


def test_new_message_search_leaves_out_other_communities_and_blocks(member, other_member):
    from neighbourly.accounts.services import block_create

    other_member.user.profile.display_name = "Margaret Far"
    other_member.user.profile.save()
    blocker = MembershipFactory(community=member.community, verified=True, user__profile__display_name="Margaret B")
    block_create(blocker=blocker.user, blocked_id=member.user_id)
    page = client_for(member.user).get("/messages/new?q=margaret").content.decode()
    assert "Margaret Far" not in page and "Margaret B" not in page


def test_new_message_post_rejects_a_non_number_and_a_stranger(member, other_member):
    client = client_for(member.user)
    assert client.post("/messages/new", {"with": "abc"}).status_code == 404
    assert client.post("/messages/new", {"with": other_member.user_id}).status_code == 404
    assert client.get("/messages/new?with=abc").status_code == 404
    assert Conversation.objects.exists() is False
