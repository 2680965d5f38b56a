"""An avatar is served only to those who share a community with its owner (or nearby), and to the
owner: anyone else, an unverified account included, gets 404 (no enumerating members by number)."""

import pytest
from django.test import Client

from neighbourly.accounts.avatars import profile_avatar_set
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.feed.test_images import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def owner(member):
    profile_avatar_set(user=member.user, upload=jpeg())
    return member


def fetch(viewer, owner) -> int:
    client = Client()
    client.force_login(viewer.user)
    return client.get(f"/avatars/{owner.user_id}").status_code


def test_neighbour_and_owner_see_it(owner, community):
    assert fetch(MembershipFactory(community=community, verified=True), owner) == 200
    assert fetch(owner, owner) == 200


def test_resident_of_a_nearby_community_sees_it(owner, community):
    nearby = CommunityFactory()
    community.nearby.add(nearby)
    assert fetch(MembershipFactory(community=nearby, verified=True), owner) == 200


@pytest.mark.parametrize("who", ["unverified account", "pending here", "other community", "suspended here"])
def test_anyone_else_gets_404(owner, community, other_member, who):
    from datetime import timedelta

    from django.utils import timezone

    from neighbourly.communities.services import membership_suspend
    from tests.accounts.factories import UserFactory

    if who == "unverified account":
        viewer = type("V", (), {"user": UserFactory()})()
    elif who == "pending here":
        viewer = MembershipFactory(community=community)
    elif who == "other community":
        viewer = other_member
    else:
        viewer = MembershipFactory(community=community, verified=True)
        membership_suspend(membership=viewer, until=timezone.now() + timedelta(days=1))
    assert fetch(viewer, owner) == 404


def test_pending_members_avatar_is_not_served_to_the_community(community):
    pending = MembershipFactory(community=community)
    profile_avatar_set(user=pending.user, upload=jpeg())
    assert fetch(MembershipFactory(community=community, verified=True), pending) == 404
    assert fetch(pending, pending) == 200
