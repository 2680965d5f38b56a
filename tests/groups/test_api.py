import pytest

from neighbourly.groups import services
from neighbourly.groups.models import Group
from tests.groups.conftest import view

pytestmark = pytest.mark.django_db


def test_create_list_join_post_and_read_feed(member, resident, api_as):
    client = api_as(member.user)
    slug = member.community.slug
    response = client.post_json(f"/communities/{slug}/groups", {"name": "Runners", "description": "5k on Sundays",
                                                                 "kind": "interest", "visibility": "open"})
    assert response.status_code == 201
    group_id = response.json()["id"]
    assert response.json()["my_role"] == "moderator"
    other = api_as(resident().user)
    assert other.post_json(f"/groups/{group_id}/membership").json() == {"status": "active", "role": "member"}
    created = other.post_json(f"/groups/{group_id}/posts", {"kind": "event", "title": "Park run", "event": {
        "starts_at": "2030-05-01T09:00:00Z", "ends_at": "2030-05-01T10:00:00Z", "place": "The park"}})
    assert created.status_code == 201
    feed = client.get_json(f"/groups/{group_id}/feed?kind=event").json()
    assert [item["title"] for item in feed["items"]] == ["Park run"]
    assert [g["name"] for g in client.get_json(f"/communities/{slug}/groups?q=run").json()["items"]] == ["Runners"]
    assert client.get_json(f"/communities/{slug}/groups?q=chess").json()["items"] == []
    members = client.get_json(f"/groups/{group_id}/members").json()["items"]
    assert len(members) == 2 and set(members[0]) == {"user_id", "display_name", "role"}


@pytest.mark.parametrize(("payload", "status"), [
    ({"name": ""}, 400),
    ({"name": "x" * 81}, 400),
    ({"name": "ok", "kind": "secret"}, 422),  # not one of the schema's choices
    ({"name": "ok", "visibility": "hidden"}, 422),
    ({"description": "no name"}, 422),
])
def test_bad_group_input_is_4xx_and_nothing_created(member, api_as, payload, status):
    response = api_as(member.user).post_json(f"/communities/{member.community.slug}/groups", payload)
    assert response.status_code == status
    assert Group.objects.exists() is False


def test_duplicate_name_is_409(member, api_as, make_group):
    make_group(member.user, name="Chess")
    response = api_as(member.user).post_json(f"/communities/{member.community.slug}/groups", {"name": "chess"})
    assert response.status_code == 409
    assert Group.objects.count() == 1


def test_mass_assignment_ignored(member, api_as):
    response = api_as(member.user).post_json(f"/communities/{member.community.slug}/groups",
                                             {"name": "Safe", "member_count": 500, "archived": True, "community": 999})
    assert response.status_code == 201
    group = Group.objects.get()
    assert (group.member_count, group.archived_at, group.community_id) == (1, None, member.community_id)


def test_group_list_query_count(member, resident, make_group, api_as, django_assert_num_queries):
    client = api_as(member.user)
    url = f"/communities/{member.community.slug}/groups"
    for n in range(3):
        make_group(member.user, name=f"Group {n:02}")
    client.get_json(url)  # warm the session
    with django_assert_num_queries(4):  # session, user, membership+community, groups (with my status)
        assert len(client.get_json(url).json()["items"]) == 3
    for n in range(3, 23):
        make_group(member.user, name=f"Group {n:02}")
    with django_assert_num_queries(4):
        assert len(client.get_json(url).json()["items"]) == 23


def test_group_feed_query_count(member, resident, make_group, api_as, django_assert_num_queries):
    group = make_group(member.user)
    writer = resident()
    services.group_join(user=writer.user, group=view(writer.user, group))
    for n in range(3):
        services.group_post_create(author=writer.user, group=view(writer.user, group), kind="general", title=f"P{n}")
    client = api_as(member.user)
    url = f"/groups/{group.pk}/feed"
    client.get_json(url)
    with django_assert_num_queries(5):  # session, user, group+viewer, posts, images
        assert len(client.get_json(url).json()["items"]) == 3
    for n in range(20):
        services.group_post_create(author=writer.user, group=view(writer.user, group), kind="poll",
                                   title=f"Q{n}", poll_options=["a", "b"])
    with django_assert_num_queries(5):
        assert len(client.get_json(url).json()["items"]) == 20


def test_my_groups_and_members_query_count(member, resident, make_group, api_as, django_assert_num_queries):
    group = make_group(member.user)
    client = api_as(member.user)
    client.get_json("/me/groups")
    with django_assert_num_queries(3):
        assert len(client.get_json("/me/groups").json()["items"]) == 1
    for _ in range(20):
        m = resident()
        services.group_join(user=m.user, group=view(m.user, group))
    with django_assert_num_queries(4):  # session, user, group+viewer, members with profiles
        assert len(client.get_json(f"/groups/{group.pk}/members").json()["items"]) == 21


def test_closed_group_flow_over_api(member, resident, api_as):
    owner = api_as(member.user)
    group_id = owner.post_json(f"/communities/{member.community.slug}/groups",
                               {"name": "Quiet", "visibility": "closed"}).json()["id"]
    asker = resident()
    client = api_as(asker.user)
    assert client.post_json(f"/groups/{group_id}/membership").json()["status"] == "pending"
    assert client.get_json(f"/groups/{group_id}/feed").status_code == 404
    assert client.post_json(f"/groups/{group_id}/requests/{asker.user_id}", {"approve": True}).status_code == 403
    requests = owner.get_json(f"/groups/{group_id}/requests").json()["items"]
    assert [r["user_id"] for r in requests] == [asker.user_id]
    assert owner.post_json(f"/groups/{group_id}/requests/{asker.user_id}", {"approve": True}).status_code == 200
    assert client.get_json(f"/groups/{group_id}/feed").status_code == 200
    detail = client.get_json(f"/groups/{group_id}").json()
    assert detail["conversation_id"] is not None
    assert client.get_json(f"/conversations/{detail['conversation_id']}/messages").status_code == 200


def test_archive_over_api(member, api_as):
    client = api_as(member.user)
    group_id = client.post_json(f"/communities/{member.community.slug}/groups", {"name": "Old"}).json()["id"]
    assert client.post_json(f"/groups/{group_id}/archive").json()["archived"] is True
    response = client.post_json(f"/groups/{group_id}/posts", {"kind": "general", "title": "late"})
    assert response.status_code == 403


def test_a_bad_cursor_is_400_on_every_list(member, make_group, api_as, assert_bad_cursor_api):
    group = make_group(member.user)
    client = api_as(member.user)
    slug = member.community.slug
    for path in (f"/communities/{slug}/groups", f"/groups/{group.pk}/feed", f"/communities/{slug}/help"):
        assert_bad_cursor_api(client, path)
