from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from neighbourly.communities.addressing import address_key, normalise_number, normalise_street
from neighbourly.communities.models import Address, Community, Membership, MembershipStatus, Role
from tests.accounts.factories import UserFactory


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
    }


class CommunityFactory(DjangoModelFactory):
    """Each community is a 0.01° square; the n-th sits 0.02° east of the previous one."""

    class Meta:
        model = Community

    slug = factory.Sequence(lambda n: f"community-{n}")
    name = factory.Sequence(lambda n: f"Community {n}")
    min_lon = factory.Sequence(lambda n: -2.0 + n * 0.02)
    min_lat = 52.5
    max_lon = factory.LazyAttribute(lambda o: o.min_lon + 0.01)
    max_lat = factory.LazyAttribute(lambda o: o.min_lat + 0.01)
    boundary = factory.LazyAttribute(lambda o: square(o.min_lon, o.min_lat))


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = Address

    community = factory.SubFactory(CommunityFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    street = "Elm Street"
    unit = ""
    city = "Testham"
    postcode = "TE1 1ST"
    lon = factory.LazyAttribute(lambda o: o.community.min_lon + 0.005)
    lat = factory.LazyAttribute(lambda o: o.community.min_lat + 0.005)
    key = factory.LazyAttribute(lambda o: address_key(number=o.number, street=o.street, unit=o.unit))
    street_key = factory.LazyAttribute(lambda o: normalise_street(o.street))
    number_key = factory.LazyAttribute(lambda o: normalise_number(o.number))


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    community = factory.SubFactory(CommunityFactory)
    address = factory.SubFactory(AddressFactory, community=factory.SelfAttribute("..community"))
    role = Role.RESIDENT
    status = MembershipStatus.PENDING

    class Params:
        verified = factory.Trait(
            status=MembershipStatus.VERIFIED,
            verified_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=60)),
        )
        moderator = factory.Trait(
            role=Role.MODERATOR,
            status=MembershipStatus.VERIFIED,
            verified_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=60)),
        )
