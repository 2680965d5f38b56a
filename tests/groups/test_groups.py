import pytest

from neighbourly.core.errors import ApplicationError, NotFound, PermissionDenied
from neighbourly.feed.models import Post
from neighbourly.groups import services
from neighbourly.groups.models import Group, GroupMembership
from neighbourly.groups.selectors import group_age_mix
from neighbourly.notifications.models import Notification
from neighbourly.realtime.models import ConversationMember
from tests.groups.conftest import view

pytestmark = pytest.mark.django_db


def _room_members(group) -> set[int]:
    return set(
        ConversationMember.objects.filter(conversation_id=group.conversation_id, removed_at__isnull=True)
        .values_list("user_id", flat=True)
    )


def test_create_makes_creator_moderator_and_opens_room(member, make_group):
    group = make_group(member.user, name="Book club")
    assert group.is_group_moderator is True
    assert group.member_count == 1
    assert _room_members(group) == {member.user_id}


def test_open_group_joins_at_once_and_room_follows(member, resident, make_group):
    group = make_group(member.user)
    other = resident()
    membership = services.group_join(user=other.user, group=view(other.user, group))
    assert membership.status == "active"
    assert _room_members(group) == {member.user_id, other.user_id}
    services.group_leave(user=other.user, group=view(other.user, group))
    assert _room_members(group) == {member.user_id}
    assert Group.objects.get(pk=group.pk).member_count == 1


def test_closed_group_join_is_a_request_moderators_are_told(member, resident, make_group):
    group = make_group(member.user, visibility="closed")
    other = resident()
    membership = services.group_join(user=other.user, group=view(other.user, group))
    assert membership.status == "pending"
    assert _room_members(group) == {member.user_id}
    assert list(Notification.objects.filter(recipient=member.user).values_list("kind", flat=True)) == ["group"]


def test_only_group_moderators_approve(member, resident, make_group):
    group = make_group(member.user, visibility="closed")
    asker, plain = resident(), resident()
    services.group_join(user=plain.user, group=view(plain.user, group))
    services.group_request_decide(moderator=member.user, group=group, user_id=plain.user_id, approve=True)
    services.group_join(user=asker.user, group=view(asker.user, group))
    with pytest.raises(PermissionDenied):
        services.group_request_decide(moderator=plain.user, group=group, user_id=asker.user_id, approve=True)
    assert GroupMembership.objects.get(group=group, user=asker.user).status == "pending"
    services.group_request_decide(moderator=member.user, group=group, user_id=asker.user_id, approve=True)
    assert GroupMembership.objects.get(group=group, user=asker.user).status == "active"
    assert _room_members(group) == {member.user_id, plain.user_id, asker.user_id}


def test_appointed_moderator_can_remove_members(member, resident, make_group):
    group = make_group(member.user)
    second, third = resident(), resident()
    for m in (second, third):
        services.group_join(user=m.user, group=view(m.user, group))
    services.group_moderator_appoint(moderator=member.user, group=group, user_id=second.user_id)
    services.group_member_remove(moderator=second.user, group=group, user_id=third.user_id)
    assert _room_members(group) == {member.user_id, second.user_id}


def test_archived_group_is_read_only(member, resident, make_group):
    group = make_group(member.user)
    post = services.group_post_create(author=member.user, group=group, kind="general", title="Hello")
    services.group_archive(moderator=member.user, group=group)
    other = resident()
    with pytest.raises(PermissionDenied):
        services.group_join(user=other.user, group=view(other.user, group))
    with pytest.raises(PermissionDenied):
        services.group_post_create(author=member.user, group=view(member.user, group), kind="general", title="More")
    assert list(Post.objects.values_list("id", flat=True)) == [post.id]
    assert GroupMembership.objects.filter(group=group).count() == 1


def test_group_post_never_reaches_community_feed(member, make_group, api_as):
    group = make_group(member.user)
    services.group_post_create(author=member.user, group=group, kind="general", title="Only for the group")
    feed = api_as(member.user).get_json(f"/communities/{member.community.slug}/feed").json()
    assert feed["items"] == []


def test_group_post_refuses_urgent_and_nearby(member, make_group):
    group = make_group(member.user)
    with pytest.raises(ApplicationError):
        services.group_post_create(author=member.user, group=group, kind="general", title="x", visibility="nearby")
    assert Post.objects.exists() is False


def test_non_member_of_closed_group_gets_404_for_feed_and_room_and_posts(member, resident, make_group, api_as):
    group = make_group(member.user, visibility="closed")
    post = services.group_post_create(author=member.user, group=group, kind="general", title="Secret plans")
    outsider = api_as(resident().user)
    assert outsider.get_json(f"/groups/{group.pk}").status_code == 200  # the name is public in the community
    assert outsider.get_json(f"/groups/{group.pk}/feed").status_code == 404
    assert outsider.get_json(f"/groups/{group.pk}/members").status_code == 404
    assert outsider.get_json(f"/posts/{post.pk}").status_code == 404
    assert outsider.get_json(f"/conversations/{group.conversation_id}/messages").status_code == 404
    assert outsider.get(f"/groups/{group.pk}/").status_code == 200
    assert outsider.get(f"/messages/{group.conversation_id}/").status_code == 404


def test_other_community_gets_404_on_everything(member, other_member, make_group, api_as):
    group = make_group(member.user)
    post = services.group_post_create(author=member.user, group=group, kind="general", title="Hi")
    client = api_as(other_member.user)
    slug = member.community.slug
    assert client.get_json(f"/communities/{slug}/groups").status_code == 404
    assert client.post_json(f"/communities/{slug}/groups", {"name": "Mine"}).status_code == 404
    for path in (f"/groups/{group.pk}", f"/groups/{group.pk}/feed", f"/groups/{group.pk}/members", f"/posts/{post.pk}"):
        assert client.get_json(path).status_code == 404
    assert client.post_json(f"/groups/{group.pk}/membership").status_code == 404
    assert client.post_json(f"/groups/{group.pk}/posts", {"kind": "general", "title": "x"}).status_code == 404
    assert client.get(f"/groups/{group.pk}/").status_code == 404
    assert client.get(f"/communities/{slug}/groups/").status_code == 404
    assert GroupMembership.objects.filter(group=group).count() == 1


def test_age_mix_hidden_below_five(member, resident, make_group):
    group = make_group(member.user, kind="intergenerational")
    bands = ["80+", "18-24", "25-34", "65-79"]
    for band in bands:
        m = resident(age_band=band)
        services.group_join(user=m.user, group=view(m.user, group))
    resident_without = resident()
    services.group_join(user=resident_without.user, group=view(resident_without.user, group))
    assert group_age_mix(group=group) is None  # 6 members, only 4 stated
    fifth = resident(age_band="50-64")
    services.group_join(user=fifth.user, group=view(fifth.user, group))
    assert group_age_mix(group=group) == {
        "stated": 5,
        "generations": [
            {"key": "younger", "label": "Under 35", "count": 2, "percent": 40},
            {"key": "middle", "label": "35 to 64", "count": 1, "percent": 20},
            {"key": "older", "label": "65 and over", "count": 2, "percent": 40},
        ],
        "missing": [],
    }


def test_intergenerational_nudge_names_missing_generation(member, resident, make_group, api_as):
    group = make_group(member.user, kind="intergenerational")
    for band in ["18-24", "25-34", "18-24", "35-49", "50-64"]:
        m = resident(age_band=band)
        services.group_join(user=m.user, group=view(m.user, group))
    body = api_as(member.user).get_json(f"/groups/{group.pk}").json()
    assert body["age_mix"]["missing"] == ["65 and over"]
    page = api_as(member.user).get(f"/groups/{group.pk}/").content.decode()
    assert "no members aged 65 and over yet" in page


def test_last_moderator_cannot_leave_a_group_with_members(member, resident, make_group):
    group = make_group(member.user)
    other = resident()
    services.group_join(user=other.user, group=view(other.user, group))
    with pytest.raises(ApplicationError):
        services.group_leave(user=member.user, group=view(member.user, group))
    assert GroupMembership.objects.filter(group=group).count() == 2


def test_join_twice_changes_nothing(member, resident, make_group):
    group = make_group(member.user)
    other = resident()
    services.group_join(user=other.user, group=view(other.user, group))
    services.group_join(user=other.user, group=view(other.user, group))
    assert Group.objects.get(pk=group.pk).member_count == 2


def test_group_moderator_removes_post_and_non_member_cannot_comment(member, resident, make_group, api_as):
    group = make_group(member.user)
    writer = resident()
    services.group_join(user=writer.user, group=view(writer.user, group))
    post = services.group_post_create(author=writer.user, group=view(writer.user, group), kind="general", title="Hi")
    outsider = api_as(resident().user)
    response = outsider.post_json(f"/posts/{post.pk}/comments", {"body": "Let me in"})
    assert response.status_code == 403
    assert api_as(writer.user).delete_json(f"/groups/{group.pk}/posts/{post.pk}").status_code == 403
    assert api_as(member.user).delete_json(f"/groups/{group.pk}/posts/{post.pk}").status_code == 204
    assert Post.objects.get(pk=post.pk).hidden_at is not None


def test_unverified_cannot_create(pending_member):
    with pytest.raises(NotFound):
        services.group_create(creator=pending_member.user, community=pending_member.community, name="x")
    assert Group.objects.exists() is False
