"""Neighbours as a resident sees them: the profile card and the people search (selectors)."""

import pytest

from neighbourly.accounts.models import NeighbourLabel
from neighbourly.accounts.services import block_create
from neighbourly.communities.neighbours import neighbour_card, neighbour_search
from neighbourly.core.errors import NotFound
from neighbourly.groups.services import group_create, group_join
from tests.communities.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def resident(community, name, **kwargs):
    return MembershipFactory(community=community, verified=True, user__profile__display_name=name, **kwargs)


def test_card_of_a_neighbour_shows_name_street_bio_and_groups_in_common(member):
    ana = resident(member.community, "Ana Ruiz")
    ana.user.profile.bio = "Keeps bees on Elm Street."
    ana.user.profile.save()
    shared = group_create(creator=member.user, community=member.community, name="Allotments")
    group_join(user=ana.user, group=shared)
    group_create(creator=member.user, community=member.community, name="Chess")

    card = neighbour_card(viewer=member.user, user_id=ana.user_id)

    assert card.display_name == "Ana Ruiz"
    assert card.street == ana.address.street
    assert card.bio == "Keeps bees on Elm Street."
    assert card.community == member.community
    assert [g.name for g in card.groups_in_common] == ["Allotments"]
    assert (card.is_me, card.blocked_by_me, card.blocked_me, card.can_message) == (False, False, False, True)


def test_card_hides_the_street_of_someone_who_chose_name_only(member):
    ana = resident(member.community, "Ana Ruiz")
    ana.user.profile.neighbour_label = NeighbourLabel.NAME_ONLY
    ana.user.profile.save()
    assert neighbour_card(viewer=member.user, user_id=ana.user_id).street is None


def test_card_of_a_resident_of_a_nearby_community_is_visible(member):
    nearby = CommunityFactory()
    member.community.nearby.add(nearby)
    bo = resident(nearby, "Bo Chen")
    card = neighbour_card(viewer=member.user, user_id=bo.user_id)
    assert card.community == nearby and card.can_message is True


@pytest.mark.parametrize("case", ["other community", "pending", "inactive", "no such user", "viewer pending"])
def test_card_is_not_found_outside_the_access_rules(member, other_member, case):
    target = {"other community": other_member}.get(case) or MembershipFactory(community=member.community)
    viewer = member.user
    if case not in ("pending",):
        target.status, target.verified_at = "verified", member.verified_at
        target.save()
    if case == "inactive":
        target.user.is_active = False
        target.user.save()
    if case == "viewer pending":
        viewer = MembershipFactory(community=member.community).user
    user_id = 999_999 if case == "no such user" else target.user_id
    with pytest.raises(NotFound):
        neighbour_card(viewer=viewer, user_id=user_id)


def test_card_shows_the_block_either_way(member):
    ana = resident(member.community, "Ana Ruiz")
    block_create(blocker=ana.user, blocked_id=member.user_id)
    card = neighbour_card(viewer=member.user, user_id=ana.user_id)
    assert (card.blocked_by_me, card.blocked_me, card.can_message) == (False, True, False)
    mine = neighbour_card(viewer=ana.user, user_id=member.user_id)
    assert (mine.blocked_by_me, mine.blocked_me, mine.can_message) == (True, False, False)


def test_own_card_cannot_message_oneself(member):
    card = neighbour_card(viewer=member.user, user_id=member.user_id)
    assert card.is_me is True and card.can_message is False and card.groups_in_common == []


def test_card_costs_two_queries(member, django_assert_num_queries):
    ana = resident(member.community, "Ana Ruiz")
    with django_assert_num_queries(2):  # the neighbour (profile, address, community, blocks), groups in common
        neighbour_card(viewer=member.user, user_id=ana.user_id)


def test_search_finds_verified_residents_of_my_communities_by_name(member, other_member):
    resident(member.community, "Margaret Ellis")
    resident(member.community, "Mark Stone")
    MembershipFactory(community=member.community, user__profile__display_name="Marta Pending")
    other_member.user.profile.display_name = "Mary Elsewhere"
    other_member.user.profile.save()
    rows = neighbour_search(viewer=member.user, query="mar")
    assert [r["display_name"] for r in rows] == ["Margaret Ellis", "Mark Stone"]
    assert set(rows[0]) == {"id", "display_name", "street", "community", "has_avatar"}


def test_search_needs_two_letters_and_leaves_out_me_and_blocks_either_way(member):
    member.user.profile.display_name = "Sam Me"
    member.user.profile.save()
    blocked = resident(member.community, "Sam Blocked")
    blocker = resident(member.community, "Sam Blocker")
    resident(member.community, "Sam Friend")
    block_create(blocker=member.user, blocked_id=blocked.user_id)
    block_create(blocker=blocker.user, blocked_id=member.user_id)
    assert neighbour_search(viewer=member.user, query="s") == []
    assert [r["display_name"] for r in neighbour_search(viewer=member.user, query="sam")] == ["Sam Friend"]


def test_search_lists_someone_in_two_of_my_communities_once_and_never_a_house_number(member):
    second = CommunityFactory()
    MembershipFactory(community=second, user=member.user, verified=True)
    ana = resident(member.community, "Ana Ruiz")
    MembershipFactory(community=second, user=ana.user, verified=True)
    ana.address.number = "4711"
    ana.address.save()
    rows = neighbour_search(viewer=member.user, query="ana")
    assert len(rows) == 1 and "4711" not in repr(rows)


def test_search_query_count_is_constant(member, django_assert_num_queries):
    for i in range(3):
        resident(member.community, f"Pat {i}")
    with django_assert_num_queries(1):
        assert len(neighbour_search(viewer=member.user, query="pat")) == 3
    for i in range(20):
        resident(member.community, f"Pat {i + 3}")
    with django_assert_num_queries(1):
        assert len(neighbour_search(viewer=member.user, query="pat")) == 20
