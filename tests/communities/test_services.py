from datetime import timedelta

import pytest
from django.utils import timezone

from neighbourly.communities.models import Address, Community, Membership, MembershipStatus, Role
from neighbourly.communities.services import (
    addresses_import,
    check_address_columns,
    community_create,
    membership_grant_role,
    membership_start,
    membership_suspension_lift_if_elapsed,
    memberships_verified_backdate,
)
from neighbourly.core.errors import ApplicationError
from tests.accounts.factories import UserFactory
from tests.communities.factories import AddressFactory, CommunityFactory, MembershipFactory, square

pytestmark = pytest.mark.django_db

COLUMNS = {c: c for c in ("LON", "LAT", "NUMBER", "STREET", "UNIT", "CITY", "POSTCODE")}


def row(lon, lat, number, street, unit="", city="Testham", postcode=""):
    return {"LON": str(lon), "LAT": str(lat), "NUMBER": number, "STREET": street, "UNIT": unit, "CITY": city,
            "POSTCODE": postcode}


def test_community_create_stores_boundary_bbox_and_nearby():
    first = community_create(slug="north", name="North", boundary=square(0, 50))
    second = community_create(slug="south", name="South", boundary={"type": "Feature", "geometry": square(0, 49)},
                              nearby_slugs=["north"])
    assert (second.min_lon, second.min_lat, second.max_lon, second.max_lat) == (0, 49, 0.01, 49.01)
    assert list(first.nearby.all()) == [second]


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        ({"type": "Point", "coordinates": [0, 0]}, "Polygon or MultiPolygon"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, "not a valid polygon"),
        ({"type": "Polygon", "coordinates": "nonsense"}, "malformed"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [500, 0], [500, 1], [0, 0]]]}, "WGS84"),
        ({"type": "FeatureCollection", "features": []}, "exactly one feature"),
        ([1, 2, 3], "GeoJSON object"),
    ],
)
def test_community_create_refuses_bad_boundaries(boundary, message):
    with pytest.raises(ApplicationError, match=message):
        community_create(slug="bad", name="Bad", boundary=boundary)
    assert Community.objects.exists() is False


def test_community_create_refuses_duplicate_slug_bad_slug_and_unknown_nearby():
    community_create(slug="north", name="North", boundary=square(0, 50))
    with pytest.raises(ApplicationError, match="already exists"):
        community_create(slug="north", name="Again", boundary=square(0, 50))
    with pytest.raises(ApplicationError, match="lower-case"):
        community_create(slug="Not A Slug", name="X", boundary=square(0, 50))
    with pytest.raises(ApplicationError, match="Unknown nearby community: nowhere"):
        community_create(slug="east", name="East", boundary=square(1, 50), nearby_slugs=["nowhere"])
    assert list(Community.objects.values_list("slug", flat=True)) == ["north"]


def test_addresses_import_assigns_by_point_in_polygon_and_counts():
    west = CommunityFactory(min_lon=0.0, min_lat=50.0)
    east = CommunityFactory(min_lon=0.02, min_lat=50.0)
    rows = [
        row(0.005, 50.005, "1", "Elm Street"),
        row(0.025, 50.005, "1", "Elm Street"),  # same key, other community: not a duplicate
        row(0.006, 50.006, "1", "elm st"),  # duplicate of the first
        row(0.005, 50.005, "2", "Elm Street", unit="Flat 1"),
        row(0.005, 50.005, "2", "Elm Street", unit="Flat 2"),
        row(5.0, 5.0, "9", "Far Road"),  # outside every boundary
        row("x", 50.0, "3", "Elm Street"),  # invalid coordinates
        row(0.005, 50.005, "", "Elm Street"),  # no number
        row("nan", 50.0, "3", "Elm Street"),
    ]
    result = addresses_import(rows=rows, columns=COLUMNS)
    assert (result.imported, result.duplicates, result.outside, result.invalid) == (4, 1, 1, 3)
    assert sorted(Address.objects.filter(community=west).values_list("key", flat=True)) == [
        "1|elm street|", "2|elm street|1", "2|elm street|2"
    ]
    assert list(Address.objects.filter(community=east).values_list("key", flat=True)) == ["1|elm street|"]


def test_addresses_import_is_idempotent():
    CommunityFactory(min_lon=0.0, min_lat=50.0)
    rows = [row(0.005, 50.005, str(n), "Oak Road") for n in range(1, 51)]
    first = addresses_import(rows=rows, columns=COLUMNS)
    second = addresses_import(rows=rows, columns=COLUMNS)
    assert (first.imported, second.imported, second.duplicates) == (50, 0, 50)
    assert Address.objects.count() == 50


def test_check_address_columns_accepts_any_case_and_refuses_missing():
    assert check_address_columns(["lon", "Lat", "NUMBER", "street", "unit"]) == {
        "LON": "lon", "LAT": "Lat", "NUMBER": "NUMBER", "STREET": "street", "UNIT": "unit"
    }
    with pytest.raises(ApplicationError, match="lacks the columns LAT, STREET"):
        check_address_columns(["LON", "NUMBER"])
    with pytest.raises(ApplicationError):
        check_address_columns(None)


def test_membership_start_creates_pending_and_moves_pending_to_new_address():
    address = AddressFactory()
    user = UserFactory()
    membership = membership_start(user=user, address=address)
    assert (membership.status, membership.address_id, membership.community_id) == (
        MembershipStatus.PENDING, address.id, address.community_id
    )
    other = AddressFactory(community=address.community)
    assert membership_start(user=user, address=other).address_id == other.id
    assert Membership.objects.count() == 1


def test_membership_start_leaves_a_verified_membership_alone():
    membership = MembershipFactory(verified=True)
    other = AddressFactory(community=membership.community)
    assert membership_start(user=membership.user, address=other).address_id == membership.address_id
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.VERIFIED


def test_membership_grant_role_appoints_and_verifies():
    community = CommunityFactory()
    user = UserFactory()
    membership = membership_grant_role(user=user, community=community, role="moderator")
    assert (membership.role, membership.status, membership.verified_at is not None) == (
        Role.MODERATOR, MembershipStatus.VERIFIED, True
    )
    with pytest.raises(ApplicationError, match="Unknown role"):
        membership_grant_role(user=user, community=community, role="king")
    membership.refresh_from_db()
    assert membership.role == Role.MODERATOR


def test_membership_suspension_lift_if_elapsed_ends_only_an_elapsed_suspension(community):
    from neighbourly.communities.selectors import membership_get

    ended = MembershipFactory(community=community, verified=True, status="suspended",
                              suspended_until=timezone.now() - timedelta(seconds=1))
    membership = membership_get(user=ended.user, community=community)
    assert membership_suspension_lift_if_elapsed(membership=membership).suspension_elapsed is False
    ended.refresh_from_db()
    assert (ended.status, ended.suspended_until) == (MembershipStatus.VERIFIED, None)
    # Suspended again (for a day) after the read saw the old one elapsed: the new one stays.
    until = timezone.now() + timedelta(days=1)
    Membership.objects.filter(pk=ended.pk).update(status=MembershipStatus.SUSPENDED, suspended_until=until)
    membership_suspension_lift_if_elapsed(membership=membership)
    ended.refresh_from_db()
    assert (ended.status, ended.suspended_until) == (MembershipStatus.SUSPENDED, until)


def test_memberships_verified_backdate_changes_only_verified_members_of_the_community(community):
    verified = MembershipFactory(community=community, verified=True)
    pending = MembershipFactory(community=community)
    elsewhere = MembershipFactory(verified=True)
    sixty_days_ago = timezone.now() - timedelta(days=60)
    assert memberships_verified_backdate(community=community, verified_at=sixty_days_ago) == 1
    assert Membership.objects.get(pk=verified.pk).verified_at == sixty_days_ago
    assert Membership.objects.get(pk=pending.pk).verified_at is None
    assert Membership.objects.get(pk=elsewhere.pk).verified_at == elsewhere.verified_at
    with pytest.raises(ApplicationError):
        memberships_verified_backdate(community=community, verified_at=timezone.now() + timedelta(days=1))
    assert Membership.objects.get(pk=verified.pk).verified_at == sixty_days_ago
