import pytest

from neighbourly.realtime.models import Message
from neighbourly.realtime.services import chat_message_send, conversation_direct_get_or_create
from tests.communities.factories import MembershipFactory
from tests.realtime.factories import room_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(member):
    return MembershipFactory(community=member.community, verified=True)


@pytest.fixture
def room(member, neighbour):
    return room_with(member.community, member.user, neighbour.user)


def test_start_direct_conversation_then_get_the_same_one(member, neighbour, api_as):
    client = api_as(member.user)
    response = client.post_json("/conversations", {"member_ids": [neighbour.user_id]})
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "direct"
    assert body["members"] == [{"id": neighbour.user_id, "name": neighbour.user.profile.display_name}]
    again = client.post_json("/conversations", {"member_ids": [neighbour.user_id]})
    assert (again.status_code, again.json()["id"]) == (200, body["id"])


def test_start_room_with_neighbours(member, neighbour, api_as):
    third = MembershipFactory(community=member.community, verified=True)
    response = api_as(member.user).post_json(
        "/conversations", {"member_ids": [neighbour.user_id, third.user_id], "title": "Street party"}
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "room" and response.json()["title"] == "Street party"


def test_conversation_with_other_community_resident_is_404(member, other_member, api_as):
    response = api_as(member.user).post_json("/conversations", {"member_ids": [other_member.user_id]})
    assert response.status_code == 404


def test_anonymous_is_401(api, room):
    assert api.get_json("/conversations").status_code == 401
    assert api.get_json(f"/conversations/{room.id}/messages").status_code == 401


def test_send_and_list_messages_with_unread(member, neighbour, room, api_as):
    sent = api_as(neighbour.user).post_json(f"/conversations/{room.id}/messages", {"body": "Hello", "client_id": "h1"})
    assert sent.status_code == 201
    assert sent.json()["seq"] == 1
    repeat = api_as(neighbour.user).post_json(f"/conversations/{room.id}/messages", {"body": "Hello", "client_id": "h1"})
    assert (repeat.status_code, repeat.json()["id"]) == (200, sent.json()["id"])
    listing = api_as(member.user).get_json("/conversations").json()
    assert [(c["id"], c["unread"], c["last_message"]) for c in listing["items"]] == [(room.id, 1, "Hello")]
    read = api_as(member.user).post_json(f"/conversations/{room.id}/read", {"seq": 1})
    assert read.json() == {"conversation": room.id, "seq": 1}
    assert api_as(member.user).get_json("/conversations").json()["items"][0]["unread"] == 0


def test_history_forward_and_backward(member, room, api_as):
    for i in range(1, 8):
        chat_message_send(user=member.user, conversation_id=room.id, body=f"m{i}", client_id=str(i))
    client = api_as(member.user)
    after = client.get_json(f"/conversations/{room.id}/messages?after_seq=4").json()
    assert [m["seq"] for m in after["items"]] == [5, 6, 7]
    newest = client.get_json(f"/conversations/{room.id}/messages?limit=3").json()
    assert [m["seq"] for m in newest["items"]] == [5, 6, 7]
    older = client.get_json(f"/conversations/{room.id}/messages?limit=3&cursor={newest['next_cursor']}").json()
    assert [m["seq"] for m in older["items"]] == [2, 3, 4]
    oldest = client.get_json(f"/conversations/{room.id}/messages?limit=3&before_seq=2").json()
    assert ([m["seq"] for m in oldest["items"]], oldest["next_cursor"]) == ([1], None)


def test_a_bad_cursor_is_400(member, room, api_as):
    client = api_as(member.user)
    for path in (f"/conversations/{room.id}/messages?cursor=5", "/conversations?cursor=30"):
        response = client.get_json(path)
        assert (response.status_code, response.json()) == (
            400, {"detail": "That cursor is not valid; start again from the first page."})


def test_non_member_and_other_community_get_404_and_nothing_changes(member, room, other_member, api_as):
    outsider = MembershipFactory(community=member.community, verified=True)
    for user in (outsider.user, other_member.user):
        client = api_as(user)
        assert client.get_json(f"/conversations/{room.id}/messages").status_code == 404
        assert client.post_json(f"/conversations/{room.id}/messages", {"body": "x", "client_id": "y"}).status_code == 404
        assert client.get_json("/conversations").json()["items"] == []
    assert Message.objects.exists() is False


def test_bad_input_is_a_clear_4xx(member, room, api_as):
    client = api_as(member.user)
    assert client.post_json(f"/conversations/{room.id}/messages", {"body": ""}).status_code == 422
    assert client.post_json(f"/conversations/{room.id}/messages", {"body": "x" * 4001}).status_code == 422
    assert client.post_json(f"/conversations/{room.id}/messages", {"body": "   "}).status_code == 400
    assert client.get_json(f"/conversations/{room.id}/messages?after_seq=-1").status_code == 422
    assert client.post_json("/conversations", {"member_ids": []}).status_code == 422
    assert Message.objects.exists() is False


def test_no_house_numbers_in_conversation_or_message_payloads(member, neighbour, room, api_as):
    chat_message_send(user=neighbour.user, conversation_id=room.id, body="hi", client_id="a")
    text = api_as(member.user).get_json("/conversations").content.decode()
    text += api_as(member.user).get_json(f"/conversations/{room.id}/messages").content.decode()
    assert neighbour.address.number not in text.replace(str(room.id), "") or neighbour.address.street not in text
    assert neighbour.address.street not in text


def test_conversation_list_query_count_does_not_grow(member, django_assert_num_queries, api_as):
    client = api_as(member.user)

    def add_conversations(n):
        for _ in range(n):
            other = MembershipFactory(community=member.community, verified=True)
            conversation, _ = conversation_direct_get_or_create(user=member.user, other_user_id=other.user_id)
            chat_message_send(user=other.user, conversation_id=conversation.id, body="hey", client_id="1")

    add_conversations(2)
    # session + user, conversations (with unread and last-message subqueries), members prefetch
    with django_assert_num_queries(4):
        assert len(client.get_json("/conversations").json()["items"]) == 2
    add_conversations(20)
    with django_assert_num_queries(4):
        assert len(client.get_json("/conversations").json()["items"]) == 22


def test_message_history_query_count_does_not_grow(member, neighbour, room, django_assert_num_queries, api_as):
    client = api_as(member.user)
    for i in range(3):
        chat_message_send(user=neighbour.user, conversation_id=room.id, body=f"m{i}", client_id=str(i))
    # session + user, access check, messages with authors and profiles
    with django_assert_num_queries(4):
        client.get_json(f"/conversations/{room.id}/messages")
    for i in range(3, 25):
        chat_message_send(user=member.user, conversation_id=room.id, body=f"m{i}", client_id=str(i))
    with django_assert_num_queries(4):
        assert len(client.get_json(f"/conversations/{room.id}/messages").json()["items"]) == 25
