import pytest

from neighbourly.groups import services
from neighbourly.groups.help import services as help_services
from neighbourly.groups.selectors import group_get_for_viewer
from tests.communities.factories import AddressFactory, MembershipFactory


@pytest.fixture
def resident(community):
    """resident(street=..., lon=..., lat=..., age_band=...) -> a verified Membership of `community`."""

    def make(street="Elm Street", lon=None, lat=None, age_band="", moderator=False):
        extra = {}
        if lon is not None:
            extra.update(lon=lon, lat=lat)
        address = AddressFactory(community=community, street=street, **extra)
        membership = MembershipFactory(community=community, address=address, verified=True, moderator=moderator)
        if age_band:
            membership.user.profile.age_band = age_band
            membership.user.profile.save()
        return membership

    return make


@pytest.fixture
def make_group(community):
    def make(creator, **kwargs):
        kwargs.setdefault("name", f"Group of {creator.pk}")
        group = services.group_create(creator=creator, community=community, **kwargs)
        return group_get_for_viewer(viewer=creator, group_id=group.pk)

    return make


def view(user, group):
    return group_get_for_viewer(viewer=user, group_id=group.pk)


def listing(membership, kind="request", category="tech", availability=("weekday_daytime",), description="Help"):
    return help_services.help_listing_create(
        actor=membership.user, community=membership.community, kind=kind, category=category,
        description=description, availability=list(availability),
    )
