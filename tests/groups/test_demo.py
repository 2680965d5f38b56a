import pytest

from neighbourly.demo import demo_seed
from neighbourly.groups.help.selectors import help_match_candidates
from neighbourly.groups.models import Group, HelpListing
from neighbourly.groups.selectors import group_age_mix

pytestmark = pytest.mark.django_db


def test_demo_has_groups_mix_and_matching_listings():
    demo_seed()
    tea = Group.objects.get(name="Tea & Tech")
    assert tea.kind == "intergenerational"
    assert group_age_mix(group=tea)["stated"] >= 5
    assert Group.objects.filter(kind="interest").exists()
    request = HelpListing.objects.get(owner__email="margaret@demo.neighbourly.test", category="tech")
    assert [c.listing.owner.email for c in help_match_candidates(listing=request)] == ["oliver@demo.neighbourly.test"]
