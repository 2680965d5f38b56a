import pytest

from neighbourly.accounts.models import User
from neighbourly.communities.models import Community
from neighbourly.demo import DEMO_DOMAIN, demo_seed
from neighbourly.feed.assembly import feed_page_assemble
from neighbourly.feed.selectors import feed_context_for_member
from neighbourly.merchants import selectors

pytestmark = pytest.mark.django_db


def test_demo_has_live_offers_in_the_feed_and_a_pending_business():
    demo_seed()
    millbrook = Community.objects.get(slug="millbrook")
    resident = User.objects.get(email=f"resident@{DEMO_DOMAIN}")
    page = feed_page_assemble(viewer=resident, context=feed_context_for_member(viewer=resident, slug="millbrook"))
    offers = [i.obj for i in page.items if i.type == "offer"]
    assert len(offers) == 2
    assert {o.business.name for o in offers} <= {"Millbrook Bakery", "Elm Street Hardware"}
    businesses, _ = selectors.business_list_for_community(viewer=resident, community=millbrook)
    assert [(b.name, b.recommendation_count) for b in businesses] == [
        ("Elm Street Hardware", 2), ("Millbrook Bakery", 3)]
    pending = list(selectors.business_queue_for_moderator(community=millbrook))
    assert [(s.business.name, bool(s.business.document)) for s in pending] == [("Green Thumb Gardening", True)]
    merchant = User.objects.get(email=f"merchant@{DEMO_DOMAIN}")
    [bakery] = selectors.business_list_for_owner(viewer=merchant)
    loaf = next(o for o in bakery.offers.all() if o.title.startswith("Half-price"))
    assert (loaf.claims_count, loaf.redemptions_count, loaf.saves_count) == (2, 1, 1)
