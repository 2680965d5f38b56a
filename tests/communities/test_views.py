import pytest

from neighbourly.communities.models import Membership
from tests.accounts.factories import UserFactory
from tests.communities.factories import AddressFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_find_address_page_and_htmx_partial(client):
    client.force_login(UserFactory())
    AddressFactory(number="14", street="Elm Street", unit="2")
    page = client.get("/find-address/", {"q": "flat 2, 14 elm st"})
    assert page.status_code == 200
    assert b"Flat 2, 14 Elm Street" in page.content and b"<html" in page.content
    partial = client.get("/find-address/", {"q": "flat 2, 14 elm st"}, HTTP_HX_REQUEST="true")
    assert b"Flat 2, 14 Elm Street" in partial.content and b"<html" not in partial.content


def test_choose_address_starts_pending_membership(client):
    user = UserFactory()
    client.force_login(user)
    address = AddressFactory()
    response = client.post("/find-address/choose/", {"address_id": address.id})
    assert response.status_code == 302
    assert response["Location"] == f"/communities/{address.community.slug}/"
    page = client.get(response["Location"])
    assert f"Your community is {address.community.name}".encode() in page.content


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_choose_address_bad_id_is_404_and_changes_nothing(client, value):
    client.force_login(UserFactory())
    assert client.post("/find-address/choose/", {"address_id": value}).status_code == 404
    assert Membership.objects.exists() is False


def test_community_page_is_404_for_non_members_and_other_communities(client, member, other_member, community):
    client.force_login(other_member.user)
    assert client.get(f"/communities/{community.slug}/").status_code == 404
    assert client.get("/communities/nowhere/").status_code == 404


def test_community_page_shows_street_never_house_number(client, community):
    membership = MembershipFactory(community=community, verified=True, address__number="4217",
                                   address__street="Elm Street")
    client.force_login(membership.user)
    page = client.get(f"/communities/{community.slug}/")
    assert page.status_code == 200
    assert b"Elm Street" in page.content and b"4217" not in page.content


def test_pages_need_login(client):
    assert client.get("/find-address/").status_code == 302
    assert client.get("/home/").status_code == 302


def test_home_sends_each_member_where_they_belong(client, member):
    newcomer = UserFactory()
    client.force_login(newcomer)
    assert client.get("/home/")["Location"] == "/find-address/"
    client.force_login(member.user)
    assert client.get("/home/")["Location"] == f"/communities/{member.community.slug}/"
