import pytest

from neighbourly.communities.models import Membership, MembershipStatus
from neighbourly.verification.models import ClaimStatus, Method
from tests.verification.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(community):
    return make_claim(community=community, method=Method.GEOLOCATION)


def share(api_as, claim, lat, lon, accuracy):
    return api_as(claim.user).post_json(
        f"/verification/claims/{claim.pk}/geolocation", {"lat": lat, "lon": lon, "accuracy_m": accuracy}
    )


def test_close_precise_location_is_a_hint_for_moderators_by_default(claim, api_as):
    a = claim.address
    response = share(api_as, claim, a.lat + 0.0002, a.lon, 12.4)
    assert response.status_code == 200
    assert response.json()["status"] == "review"
    claim.refresh_from_db()
    assert (claim.geo_accepted, claim.geo_distance_m, claim.geo_accuracy_m) == (True, 22, 12)
    assert claim.review_reason == "location near the address"


def test_close_precise_location_verifies_where_the_community_allows(claim, community, api_as):
    community.geolocation_suffices = True
    community.save()
    a = claim.address
    assert share(api_as, claim, a.lat + 0.0002, a.lon, 12).json()["status"] == "verified"
    assert Membership.objects.get(user=claim.user, community=community).status == MembershipStatus.VERIFIED


@pytest.mark.parametrize(("offset", "accuracy"), [(0.005, 10), (0.0002, 400)], ids=["far", "imprecise"])
def test_far_or_imprecise_location_never_verifies(claim, community, api_as, offset, accuracy):
    community.geolocation_suffices = True
    community.save()
    a = claim.address
    assert share(api_as, claim, a.lat + offset, a.lon, accuracy).json()["status"] == "review"
    claim.refresh_from_db()
    assert claim.geo_accepted is False
    assert claim.review_reason == "location not close or precise enough"


def test_location_is_stored_coarsened(claim, api_as):
    share(api_as, claim, 52.5051234, -1.9951234, 5)
    claim.refresh_from_db()
    assert (claim.geo_lat, claim.geo_lon) == (52.505, -1.995)


@pytest.mark.parametrize(
    "payload",
    [
        {"lat": 91, "lon": 0, "accuracy_m": 5},
        {"lat": 0, "lon": 181, "accuracy_m": 5},
        {"lat": 0, "lon": 0, "accuracy_m": -1},
        {"lat": "x", "lon": 0, "accuracy_m": 5},
        {"lat": 0},
    ],
)
def test_bad_coordinates_are_refused(claim, api_as, payload):
    response = api_as(claim.user).post_json(f"/verification/claims/{claim.pk}/geolocation", payload)
    assert response.status_code == 422
    claim.refresh_from_db()
    assert (claim.status, claim.geo_at) == (ClaimStatus.PENDING, None)
