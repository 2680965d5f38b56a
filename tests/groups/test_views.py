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
        ("/groups/", ""),
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert text in response.content.decode()
    assert client.get(f"/communities/{slug}/help/proxy-log/").status_code == 404  # not a moderator


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
