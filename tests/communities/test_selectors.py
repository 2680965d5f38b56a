from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from neighbourly.communities.models import Membership
from neighbourly.communities.selectors import (
    MembershipSuspended,
    address_search,
    community_get_for_member,
    community_get_for_moderator,
    membership_get,
    membership_get_by_slug,
    membership_list_for_user,
    membership_require_verified,
)
from neighbourly.core.errors import NotFound
from tests.accounts.factories import UserFactory
from tests.communities.factories import AddressFactory, CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_address_search_finds_loosely_written_address_with_its_community():
    community = CommunityFactory()
    flat = AddressFactory(community=community, number="14", street="Elm Street", unit="2")
    AddressFactory(community=community, number="14", street="Elm Street", unit="3")
    AddressFactory(community=community, number="15", street="Elm Street")
    assert address_search(query="flat 2, 14 elm st") == [flat]
    assert [a.unit for a in address_search(query="14 Elm")] == ["2", "3"]
    assert address_search(query="14 Oak Road") == []
    assert address_search(query="Elm Street") == []


def test_address_search_query_count_is_constant(django_assert_num_queries):
    community = CommunityFactory()
    for unit in range(1, 4):
        AddressFactory(community=community, number="14", street="Elm Street", unit=str(unit))
    with django_assert_num_queries(1):
        assert len(address_search(query="14 elm st")) == 3
    for unit in range(4, 24):
        AddressFactory(community=community, number="14", street="Elm Street", unit=str(unit))
    with django_assert_num_queries(1):
        assert len(address_search(query="14 elm st")) == 10


def test_community_get_for_member_requires_verified_membership(member, pending_member, other_member, community):
    assert community_get_for_member(user=member.user, slug=community.slug) == (community, member)
    for outsider in (pending_member.user, other_member.user, UserFactory()):
        with pytest.raises(NotFound):
            community_get_for_member(user=outsider, slug=community.slug)
        with pytest.raises(NotFound):
            membership_require_verified(user=outsider, community=community)
    with pytest.raises(NotFound):
        community_get_for_member(user=member.user, slug="no-such-place")


def test_suspended_member_is_not_a_member(community):
    suspended = MembershipFactory(community=community, verified=True, status="suspended")
    with pytest.raises(NotFound):
        community_get_for_member(user=suspended.user, slug=community.slug)


def _reads(community, user):
    """Every membership read that checks access, each returning the membership it found."""
    return {
        "membership_get": lambda: membership_get(user=user, community=community),
        "membership_get_by_slug": lambda: membership_get_by_slug(user=user, slug=community.slug)[1],
        "community_get_for_member": lambda: community_get_for_member(user=user, slug=community.slug)[1],
        "community_get_for_moderator": lambda: community_get_for_moderator(user=user, slug=community.slug)[1],
        "membership_require_verified": lambda: membership_require_verified(user=user, community=community),
    }


def test_an_elapsed_suspension_counts_as_verified_and_reads_write_nothing(community):
    ended = timezone.now() - timedelta(seconds=1)
    suspended = MembershipFactory(community=community, moderator=True, status="suspended", suspended_until=ended)
    for name, read in _reads(community, suspended.user).items():
        with CaptureQueriesContext(connection) as queries:
            membership = read()
        assert [q["sql"].split()[0] for q in queries] == ["SELECT"], name
        assert (membership.pk, membership.status, membership.suspended_until) == (suspended.pk, "verified", None), name
        assert membership.suspension_elapsed is True, name
    suspended.refresh_from_db()
    assert (suspended.status, suspended.suspended_until) == ("suspended", ended)


def test_a_running_suspension_still_refuses_and_reads_write_nothing(community):
    until = timezone.now() + timedelta(days=1)
    suspended = MembershipFactory(community=community, moderator=True, status="suspended", suspended_until=until)
    reads = _reads(community, suspended.user)
    with CaptureQueriesContext(connection) as queries:
        for name in ("community_get_for_member", "community_get_for_moderator", "membership_require_verified"):
            with pytest.raises(MembershipSuspended):
                reads[name]()
        assert reads["membership_get"]().suspension_elapsed is False
    assert {q["sql"].split()[0] for q in queries} == {"SELECT"}
    assert Membership.objects.get(pk=suspended.pk).status == "suspended"


def test_community_get_for_moderator_refuses_residents_and_other_moderators(member, moderator, community):
    assert community_get_for_moderator(user=moderator.user, slug=community.slug)[0] == community
    elsewhere = MembershipFactory(moderator=True)
    for user in (member.user, elsewhere.user):
        with pytest.raises(NotFound):
            community_get_for_moderator(user=user, slug=community.slug)


def test_membership_list_for_user_query_count(django_assert_num_queries):
    user = UserFactory()
    made = MembershipFactory.create_batch(2, user=user)
    with django_assert_num_queries(1):
        assert sorted(m.community.name for m in membership_list_for_user(user=user)) == sorted(
            m.community.name for m in made)
    MembershipFactory.create_batch(20, user=user)
    with django_assert_num_queries(1):
        assert len([m.address.street for m in membership_list_for_user(user=user)]) == 22
