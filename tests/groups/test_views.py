import pytest

from neighbourly.groups import services
from neighbourly.groups.models import Group, HelpListing
from tests.groups.conftest import listing, view

pytestmark = pytest.mark.django_db


def test_pages_render_for_member(member, resident, client, make_group):
    group = make_group(member.user, kind="intergenerational")
    services.group_post_create(author=member.user, group=group, kind="general", title="Welcome all")
    request = listing(member)
    client.force_login(member.user)
    slug = member.community.slug
    for url, text in [
        (f"/communities/{slug}/groups/", group.name),
        (f"/groups/{group.pk}/", "Welcome all"),
        (f"/communities/{slug}/help/", "Your listings"),
        (f"/help/{request.pk}/matches/", "Best suggestions first"),
        (f"/communities/{slug}/help/thanks/", "Thank you, helpers"),
        ("/groups/", group.name),
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert text in response.content.decode()
    assert client.get(f"/communities/{slug}/help/proxy-log/").status_code == 404  # not a moderator


def test_group_page_has_the_feed_composer_and_its_nudge(member, client, make_group):
    group = make_group(member.user)
    client.force_login(member.user)
    page = client.get(f"/groups/{group.pk}/").content.decode()
    assert 'id="composer"' in page and "Post to " + group.name in page
    assert 'name="urgent"' not in page and 'type="hidden" name="visibility" value="community"' in page
    unkind = {"kind": "general", "visibility": "community", "title": "Those teenagers are ruining the park",
              "body": "Idiots, all of them"}
    nudged = client.post(f"/groups/{group.pk}/posts/", unkind)
    text = nudged.content.decode()
    assert "data-nudge" in text and "Post anyway" in text and 'name="post_anyway"' in text
    assert group.posts.count() == 0


def test_create_group_and_listing_by_form(member, client):
    client.force_login(member.user)
    slug = member.community.slug
    response = client.post(f"/communities/{slug}/groups/", {"name": "Knitters", "description": "",
                                                            "kind": "interest", "visibility": "open"})
    assert response.status_code == 302
    assert Group.objects.get().name == "Knitters"
    bad = client.post(f"/communities/{slug}/help/", {"kind": "offer", "category": "tech", "description": "x"})
    assert bad.status_code == 400
    assert HelpListing.objects.exists() is False


def test_house_numbers_never_shown(member, resident, client, make_group):
    group = make_group(member.user)
    other = resident()
    services.group_join(user=other.user, group=view(other.user, group))
    services.group_post_create(author=other.user, group=view(other.user, group), kind="general", title="Hi")
    client.force_login(member.user)
    page = client.get(f"/groups/{group.pk}/").content.decode()
    assert f"{other.address.number} {other.address.street}" not in page


def test_a_bad_cursor_shows_the_first_page_with_a_message(member, resident, client, make_group,
                                                           assert_bad_cursor_page):
    group = make_group(member.user, name="Gardeners")
    client.force_login(member.user)
    slug = member.community.slug
    assert "Gardeners" in assert_bad_cursor_page(client, f"/communities/{slug}/groups/", q="Garden").content.decode()
    assert_bad_cursor_page(client, f"/groups/{group.pk}/")
    assert_bad_cursor_page(client, f"/communities/{slug}/help/", kind="offer")
