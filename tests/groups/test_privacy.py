"""Groups' part of a member's export, and what deleting the account removes."""

import pytest

from neighbourly.accounts.privacy import user_delete, user_export
from neighbourly.groups.models import Group, GroupMembership, HelpListing
from tests.groups.conftest import listing

pytestmark = pytest.mark.django_db


def test_export_has_my_groups_and_listings_and_nothing_of_others(resident, make_group):
    me, neighbour = resident(), resident()
    make_group(me.user, name="Allotment club")
    listing(me, description="Help with my new phone")
    listing(neighbour, kind="offer", description="Neighbour's private words")
    data = user_export(user=me.user)
    assert [(g["group"], g["role"]) for g in data["groups"]] == [("Allotment club", "moderator")]
    assert [li["description"] for li in data["help_listings"]] == ["Help with my new phone"]
    assert "Neighbour's private words" not in str(data)
    assert data["help_hours"] == {"given": "0", "received": "0"}


def test_delete_removes_memberships_and_listings_but_the_group_stays(resident, make_group):
    me, neighbour = resident(), resident()
    group = make_group(me.user, name="Allotment club")
    listing(me)
    listing(neighbour)
    user_delete(user=me.user, keep_content=False)
    assert GroupMembership.objects.filter(group=group).exists() is False
    assert list(HelpListing.objects.values_list("owner_id", flat=True)) == [neighbour.user_id]
    assert Group.objects.get().created_by_id is None
