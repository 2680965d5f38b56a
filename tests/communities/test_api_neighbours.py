"""API: /neighbours (search), /neighbours/{id} (the card), /me/blocks."""

import pytest

from neighbourly.accounts.models import Block
from neighbourly.accounts.services import block_create
from neighbourly.groups.services import group_create, group_join
from tests.communities.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(member):
    ana = MembershipFactory(community=member.community, verified=True, user__profile__display_name="Ana Ruiz")
    ana.address.number = "4711"
    ana.address.save()
    return ana


def test_get_neighbour_card(member, ana, api_as):
    group = group_create(creator=member.user, community=member.community, name="Allotments")
    group_join(user=ana.user, group=group)
    response = api_as(member.user).get_json(f"/neighbours/{ana.user_id}")
    assert response.status_code == 200
    assert response.json() == {
        "id": ana.user_id, "display_name": "Ana Ruiz", "street": ana.address.street,
        "community": member.community.name, "avatar_url": None, "bio": "",
        "groups_in_common": [{"id": group.id, "name": "Allotments"}], "blocked_by_me": False, "can_message": True,
    }
    assert "4711" not in response.content.decode()


def test_neighbour_card_of_another_community_is_404(member, other_member, api_as):
    response = api_as(member.user).get_json(f"/neighbours/{other_member.user_id}")
    assert response.status_code == 404 and response.json() == {"detail": "No such neighbour."}
    assert api_as(member.user).get_json("/neighbours/99999999999999999999").status_code in (400, 404, 422)


def test_search_neighbours(member, ana, api_as):
    response = api_as(member.user).get_json("/neighbours?q=an")
    assert response.status_code == 200
    assert response.json() == {"items": [{"id": ana.user_id, "display_name": "Ana Ruiz", "street": ana.address.street,
                                          "community": member.community.name, "avatar_url": None}],
                               "next_cursor": None}
    assert api_as(member.user).get_json("/neighbours?q=a").json()["items"] == []


def test_search_query_count_is_constant(member, api_as, django_assert_num_queries):
    api = api_as(member.user)
    for n in (3, 20):
        for _ in range(n):
            MembershipFactory(community=member.community, verified=True, user__profile__display_name="Pat Doe")
        with django_assert_num_queries(3):  # session, user, search
            assert len(api.get_json("/neighbours?q=pat").json()["items"]) == min(n if n == 3 else 20, 20)


def test_block_list_and_unblock(member, ana, api_as):
    api = api_as(member.user)
    response = api.post_json("/me/blocks", {"user_id": ana.user_id})
    assert response.status_code == 201
    assert response.json()["user_id"] == ana.user_id and response.json()["display_name"] == "Ana Ruiz"
    assert api.post_json("/me/blocks", {"user_id": ana.user_id}).status_code == 201  # idempotent
    items = api.get_json("/me/blocks").json()
    assert [b["display_name"] for b in items["items"]] == ["Ana Ruiz"] and items["next_cursor"] is None
    assert api.get_json(f"/neighbours/{ana.user_id}").json()["blocked_by_me"] is True
    assert api.delete_json(f"/me/blocks/{ana.user_id}").status_code == 204
    assert api.delete_json(f"/me/blocks/{ana.user_id}").status_code == 204
    assert Block.objects.exists() is False


def test_block_bad_input_is_4xx_and_changes_nothing(member, other_member, api_as):
    api = api_as(member.user)
    assert api.post_json("/me/blocks", {"user_id": other_member.user_id}).status_code == 404
    assert api.post_json("/me/blocks", {"user_id": member.user_id}).json() == {"detail": "You cannot block yourself."}
    assert api.post_json("/me/blocks", {"user_id": "x"}).status_code == 422
    assert api.post_json("/me/blocks", {}).status_code == 422
    assert Block.objects.exists() is False


def test_block_list_is_paginated_with_constant_queries(member, api_as, django_assert_num_queries):
    api = api_as(member.user)
    for n in (3, 50):
        for _ in range(n):
            block_create(blocker=member.user, blocked_id=MembershipFactory(community=member.community,
                                                                            verified=True).user_id)
        with django_assert_num_queries(3):  # session, user, blocks (names joined)
            page = api.get_json("/me/blocks").json()
    assert len(page["items"]) == 50 and page["next_cursor"]
    with django_assert_num_queries(3):
        rest = api.get_json(f"/me/blocks?cursor={page['next_cursor']}").json()
    assert len(rest["items"]) == 3 and rest["next_cursor"] is None
    assert {b["user_id"] for b in page["items"]}.isdisjoint({b["user_id"] for b in rest["items"]})
    bad = api.get_json("/me/blocks?cursor=50")
    assert (bad.status_code, bad.json()) == (400, {"detail": "That cursor is not valid; start again from the first page."})


def test_a_blocked_dm_is_refused_over_the_api_either_way(member, ana, api_as):
    conversation = api_as(member.user).post_json("/conversations", {"member_ids": [ana.user_id]}).json()
    block_create(blocker=ana.user, blocked_id=member.user_id)
    response = api_as(member.user).post_json(f"/conversations/{conversation['id']}/messages", {"body": "Hi"})
    assert response.status_code == 403 and response.json() == {"detail": "You cannot send messages to this neighbour."}
    response = api_as(ana.user).post_json(f"/conversations/{conversation['id']}/messages", {"body": "Hi"})
    assert response.status_code == 403
    assert api_as(member.user).post_json("/conversations", {"member_ids": [ana.user_id]}).status_code == 403


def test_anonymous_gets_401(api, ana):
    assert api.get_json(f"/neighbours/{ana.user_id}").status_code == 401
    assert api.get_json("/me/blocks").status_code == 401
