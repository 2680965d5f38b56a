import pytest

from tests.communities.factories import AddressFactory, CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_list_and_get_communities(api):
    north = CommunityFactory(slug="north", name="North")
    south = CommunityFactory(slug="south", name="South")
    north.nearby.add(south)
    MembershipFactory(community=north, verified=True)
    MembershipFactory(community=north)  # pending: not counted
    assert api.get_json("/communities").json() == [{"slug": "north", "name": "North"}, {"slug": "south", "name": "South"}]
    body = api.get_json("/communities/north").json()
    assert (body["nearby"], body["verified_members"], body["boundary"]["type"]) == (
        [{"slug": "south", "name": "South"}], 1, "Polygon"
    )
    assert api.get_json("/communities/nowhere").json() == {"detail": "Not found."}
    assert api.get_json("/communities/nowhere").status_code == 404


def test_address_search_returns_candidates_with_community(api):
    community = CommunityFactory(slug="north", name="North")
    flat = AddressFactory(community=community, number="2", street="Mill Close", unit="3", city="Millbrook",
                          postcode="MB1 5CL")
    response = api.get_json("/addresses/search", data={"q": "flat 3 2 mill cl"})
    assert response.json() == [{
        "id": flat.id, "label": "Flat 3, 2 Mill Close, Millbrook, MB1 5CL", "street": "Mill Close",
        "community": {"slug": "north", "name": "North"},
    }]


@pytest.mark.parametrize("query", [{"q": ""}, {}, {"q": "x" * 201}])
def test_address_search_bad_input_is_422(api, query):
    response = api.get_json("/addresses/search", data=query)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_unknown_api_path_is_json_404(api):
    assert api.get_json("/no-such-thing").status_code == 404
