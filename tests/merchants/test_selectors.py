"""The shared reads: one selector per list, whichever page or endpoint shows it, with its query budget."""

import pytest

from neighbourly.merchants import selectors
from neighbourly.merchants.models import Offer
from neighbourly.merchants.stats import impressions_count, impressions_flush
from tests.merchants.factories import make_business, make_offer

pytestmark = pytest.mark.django_db


def test_offer_impressions_add_what_the_cache_holds_to_what_was_flushed(business, community,
                                                                         django_assert_num_queries):
    offers = [make_offer(business=business, communities=[community]) for _ in range(3)]
    impressions_count(offer_ids=[offers[0].id, offers[1].id])
    impressions_flush(offer_ids=[offers[0].id])
    impressions_count(offer_ids=[offers[0].id])
    offers = list(Offer.objects.filter(pk__in=[o.id for o in offers]).order_by("id"))
    with django_assert_num_queries(0):  # the rows are the caller's; the rest is the cache
        impressions = selectors.offer_impressions(offers=offers)
    assert impressions == {offers[0].id: 2, offers[1].id: 1, offers[2].id: 0}
    assert selectors.offer_impressions(offers=[]) == {}


def test_offer_impressions_are_the_same_on_the_dashboard_and_in_the_stats_api(offer, merchant, client, api_as):
    impressions_count(offer_ids=[offer.id])
    impressions_count(offer_ids=[offer.id])
    assert api_as(merchant).get_json(f"/offers/{offer.id}/stats").json()["impressions"] == 2
    client.force_login(merchant)
    page = client.get("/merchants/").content.decode()
    assert 'data-stat="impressions">2</td>' in page


def test_business_queue_is_one_query_and_capped(community, django_assert_num_queries):
    for rows in (3, 7):
        while len(selectors.business_queue_for_moderator(community=community)) < rows:
            make_business(communities=[community], approved=False, verified=False)
        with django_assert_num_queries(1):
            queue = selectors.business_queue_for_moderator(community=community)
            assert [s.business.name for s in queue]  # business comes with the row: no query per row
            assert all(s.has_live_postcard is False for s in queue)
        assert len(queue) == rows
    assert len(selectors.business_queue_for_moderator(community=community, limit=5)) == 5


def test_business_queue_page_and_api_show_the_same_rows_at_a_constant_cost(community, moderator, client, api_as,
                                                                             django_assert_num_queries):
    client.force_login(moderator.user)
    api = api_as(moderator.user)
    for rows in (2, 12):
        while len(selectors.business_queue_for_moderator(community=community)) < rows:
            make_business(communities=[community], approved=False, verified=False)
        with django_assert_num_queries(5):  # session, user, membership, the queue, the nav's profile
            page = client.get(f"/communities/{community.slug}/moderation/businesses/").content.decode()
        items = api.get_json(f"/communities/{community.slug}/moderation/businesses").json()["items"]
        api_ids = [item["id"] for item in items]
        assert api_ids == [s.business_id for s in selectors.business_queue_for_moderator(community=community)]
        assert page.count("data-pending-business=") == rows
