"""Publishing, targeting, access, feed placement, expiry and the stats of offers."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from neighbourly.feed.assembly import feed_sources
from neighbourly.merchants.models import Offer, OfferStatus
from neighbourly.merchants.services import offers_close_finished
from neighbourly.merchants.stats import impressions_flush
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.feed.factories import PostFactory
from tests.merchants.factories import make_business, make_offer

pytestmark = pytest.mark.django_db


def offer_payload(*communities, **extra):
    now = timezone.now()
    return {"title": "Free coffee", "body": "With any cake", "ends_at": (now + timedelta(days=3)).isoformat(),
            "communities": [c.slug for c in communities], "max_claims": 5, "per_household": 1, **extra}


def test_verified_approved_business_publishes(business, merchant, community, member, api_as):
    response = api_as(merchant).post_json(f"/businesses/{business.id}/offers", offer_payload(community))
    assert response.status_code == 201
    data = response.json()
    assert data["label"] == "Local offer"
    assert data["business"] == {"id": business.id, "name": business.name, "verified": True}
    assert data["communities"] == [community.slug]
    seen = api_as(member.user).get_json(f"/offers/{data['id']}").json()
    assert seen["communities"] is None
    assert seen["live"] is True


def test_unverified_business_cannot_publish(merchant, community, api_as):
    business = make_business(owner=merchant, communities=[community], verified=False)
    response = api_as(merchant).post_json(f"/businesses/{business.id}/offers", offer_payload(community))
    assert response.status_code == 400
    assert "not verified" in response.json()["detail"]
    assert Offer.objects.exists() is False


def test_pending_approval_cannot_publish_there(merchant, community, api_as):
    business = make_business(owner=merchant, communities=[community], approved=False)
    response = api_as(merchant).post_json(f"/businesses/{business.id}/offers", offer_payload(community))
    assert response.status_code == 400
    assert Offer.objects.exists() is False


def test_targeting_a_community_not_served_is_refused(business, merchant, community, other_community, api_as):
    response = api_as(merchant).post_json(
        f"/businesses/{business.id}/offers", offer_payload(community, other_community)
    )
    assert response.status_code == 400
    assert response.json()["detail"] == f"The business does not serve '{other_community.slug}'."
    assert Offer.objects.exists() is False


def test_another_user_cannot_publish_for_the_business(business, member, community, api_as):
    response = api_as(member.user).post_json(f"/businesses/{business.id}/offers", offer_payload(community))
    assert response.status_code == 404
    assert Offer.objects.exists() is False


@pytest.mark.parametrize(("bad", "status"), [
    ({"ends_at": "2001-01-01T00:00:00Z"}, 400),
    ({"max_claims": 0}, 422),  # the schema's bounds
    ({"per_household": 9, "max_claims": 3}, 400),
    ({"title": ""}, 400),
])
def test_bad_offer_input_is_4xx(business, merchant, community, api_as, bad, status):
    response = api_as(merchant).post_json(f"/businesses/{business.id}/offers", offer_payload(community, **bad))
    assert response.status_code == status
    assert Offer.objects.exists() is False


def test_non_targeted_residents_never_see_the_offer(business, community, other_community, api_as):
    offer = make_offer(business=business, communities=[community])
    outsider = MembershipFactory(community=other_community, verified=True)
    pending = MembershipFactory(community=community)
    for user in (outsider.user, pending.user):
        api = api_as(user)
        assert api.get_json(f"/offers/{offer.id}").status_code == 404
        assert api.post_json(f"/offers/{offer.id}/claim").status_code == 404
        assert api.post_json(f"/offers/{offer.id}/save").status_code == 404
    feed = api_as(outsider.user).get_json(f"/communities/{other_community.slug}/feed").json()
    assert all(item["type"] != "offer" for item in feed["items"])


def feed_types(api, community):
    return [(i["type"], i.get("title")) for i in api.get_json(f"/communities/{community.slug}/feed").json()["items"]]


def test_offers_interleaved_at_a_fixed_rhythm_and_capped(business, community, member, api_as):
    for i in range(4):
        make_offer(business=business, communities=[community], title=f"Offer {i}")
    PostFactory.create_batch(20, community=community, author=member.user, author_membership=member)
    items = api_as(member.user).get_json(f"/communities/{community.slug}/feed").json()["items"]
    types = [i["type"] for i in items]
    source = next(s for s in feed_sources() if s.type == "offer")
    assert types.count("offer") == source.per_page == 2
    assert types.count("post") == 20
    positions = [n for n, t in enumerate(types) if t == "offer"]
    assert positions == [source.every, 2 * source.every + 1]  # exactly `every` posts before each
    offer_item = items[5]
    assert offer_item["label"] == "Local offer"
    assert offer_item["business"]["verified"] is True


def test_feed_keeps_its_query_budget_with_offers(business, community, member, api_as, django_assert_num_queries):
    api = api_as(member.user)
    url = f"/communities/{community.slug}/feed"
    for rows in (10, 30):
        PostFactory.create_batch(rows, community=community, author=member.user, author_membership=member)
        make_offer(business=business, communities=[community])
        make_offer(business=make_business(communities=[community]), communities=[community])
        cache.clear()
        # Cold: session, user, member context, posts, images, the community's offers
        # (businesses joined), the viewer's saves and claims.
        with django_assert_num_queries(7):
            items = api.get_json(url).json()["items"]
        assert [i["type"] for i in items].count("offer") == 2
        # Then from the cache: the feed costs what it costs without offers.
        with django_assert_num_queries(5):
            assert api.get_json(url).json()["items"] == items


def test_community_page_shows_offer_card(business, community, member, client):
    make_offer(business=business, communities=[community], title="Half-price scones")
    PostFactory.create_batch(6, community=community, author=member.user, author_membership=member)
    client.force_login(member.user)
    html = client.get(f"/communities/{community.slug}/").content.decode()
    assert "Half-price scones" in html
    assert "Local offer" in html
    assert business.name in html


def test_expired_and_exhausted_offers_leave_the_feed(business, community, member, api_as):
    now = timezone.now()
    live = make_offer(business=business, communities=[community], title="Live")
    expired = make_offer(business=business, communities=[community], title="Expired",
                         starts_at=now - timedelta(days=3), ends_at=now - timedelta(minutes=1))
    exhausted = make_offer(business=business, communities=[community], title="Gone", max_claims=2)
    Offer.objects.filter(pk=exhausted.pk).update(claims_count=2)
    future = make_offer(business=business, communities=[community], title="Later",
                        starts_at=now + timedelta(days=1))
    PostFactory.create_batch(20, community=community, author=member.user, author_membership=member)
    titles = [t for kind, t in feed_types(api_as(member.user), community) if kind == "offer"]
    assert titles == ["Live"]
    assert offers_close_finished() == 2
    assert set(Offer.objects.filter(status=OfferStatus.CLOSED).values_list("id", flat=True)) == {
        expired.id, exhausted.id}
    assert Offer.objects.get(pk=future.pk).status == OfferStatus.LIVE
    assert Offer.objects.get(pk=live.pk).status == OfferStatus.LIVE


def test_revoked_approval_hides_offer(business, community, member, offer, api_as):
    business.served.update(status="refused")
    assert api_as(member.user).get_json(f"/offers/{offer.id}").status_code == 404


def test_impressions_counted_in_cache_then_flushed(business, community, member, offer, merchant, api_as):
    PostFactory.create_batch(10, community=community, author=member.user, author_membership=member)
    api = api_as(member.user)
    for _ in range(3):
        api.get_json(f"/communities/{community.slug}/feed")
    assert Offer.objects.get(pk=offer.pk).impressions == 0  # nothing written on the hot path
    stats = api_as(merchant).get_json(f"/offers/{offer.id}/stats").json()
    assert stats["impressions"] == 3
    assert impressions_flush() == 3
    assert Offer.objects.get(pk=offer.pk).impressions == 3
    assert api_as(merchant).get_json(f"/offers/{offer.id}/stats").json()["impressions"] == 3
    assert impressions_flush() == 0


def test_stats_only_for_the_owning_merchant(offer, member, api_as):
    other_merchant = make_business(communities=[CommunityFactory()]).owners.get()
    for user in (other_merchant, member.user):
        assert api_as(user).get_json(f"/offers/{offer.id}/stats").status_code == 404


def test_feed_offer_cache_follows_claims_saves_and_hiding(business, community, member, api_as):
    offer = make_offer(business=business, communities=[community], max_claims=1)
    PostFactory.create_batch(6, community=community, author=member.user, author_membership=member)
    api = api_as(member.user)

    def card():
        return next((i for i in api.get_json(f"/communities/{community.slug}/feed").json()["items"]
                     if i["type"] == "offer"), None)

    assert (card()["saved"], card()["claimed"], card()["remaining"]) == (False, False, 1)
    api.post_json(f"/offers/{offer.id}/save")
    assert card()["saved"] is True
    other = MembershipFactory(community=community, verified=True)
    api_as(other.user).post_json(f"/offers/{offer.id}/claim")
    assert card() is None  # its only one went: gone from the feed at once


def test_feed_survives_a_cache_outage(business, community, member, api_as, monkeypatch):
    make_offer(business=business, communities=[community])
    PostFactory.create_batch(6, community=community, author=member.user, author_membership=member)

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    from neighbourly.merchants import feed_cache

    monkeypatch.setattr(feed_cache.cache, "get", broken)
    monkeypatch.setattr(feed_cache.cache, "set", broken)
    response = api_as(member.user).get_json(f"/communities/{community.slug}/feed")
    assert response.status_code == 200
    assert [i["type"] for i in response.json()["items"]].count("offer") == 1


# --- an offer and its picture go live together or not at all ----------------------------------


def _upload(name, data, content_type):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type)


def _stored_offer_images(settings) -> list:
    folder = settings.PRIVATE_MEDIA_ROOT / "images" / "merchants" / "offers"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_api_publishes_with_a_picture_in_one_request(business, merchant, community, api_as, tiny_jpeg, settings):
    fields = offer_payload(community)
    response = api_as(merchant).post(f"/api/v1/businesses/{business.id}/offers",
                                     {**fields, "image": _upload("a.jpg", tiny_jpeg, "image/jpeg")})
    assert response.status_code == 201, response.content
    offer = Offer.objects.get()
    assert response.json()["image_url"] == f"/offers/{offer.id}/image/"
    assert response.json()["communities"] == [community.slug]
    assert [p.name for p in _stored_offer_images(settings)] == [offer.image.rsplit("/", 1)[1]]


def test_api_publish_with_a_non_image_is_refused_and_publishes_nothing(business, merchant, community, api_as,
                                                                       settings):
    api = api_as(merchant)
    for _ in range(2):  # a resubmit is refused the same way: never a duplicate
        response = api.post(f"/api/v1/businesses/{business.id}/offers", {
            **offer_payload(community), "image": _upload("menu.jpg", b"%PDF-1.4 not a picture", "image/jpeg"),
        })
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"] == "Only JPEG, PNG and WebP images are accepted."
    assert Offer.objects.exists() is False
    assert _stored_offer_images(settings) == []


def test_publish_refused_after_the_picture_was_stored_leaves_no_file(business, merchant, community, tiny_jpeg,
                                                                     settings):
    from neighbourly.core.errors import ApplicationError
    from neighbourly.merchants.services import offer_publish

    with pytest.raises(ApplicationError):
        offer_publish(business=business, actor=merchant, title="Late", body="", starts_at=None,
                      ends_at=timezone.now() - timedelta(days=1), community_slugs=[community.slug], max_claims=5,
                      image=_upload("a.jpg", tiny_jpeg, "image/jpeg"))
    assert Offer.objects.exists() is False
    assert _stored_offer_images(settings) == []


def test_api_publish_still_reports_bad_json_where_it_did(business, merchant, api_as):
    api = api_as(merchant)
    response = api.post_json(f"/businesses/{business.id}/offers", {"title": "x"})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [
        ["body", "payload", "ends_at"], ["body", "payload", "communities"], ["body", "payload", "max_claims"]]
    assert api.post_json(f"/businesses/{business.id}/offers", [None, None]).status_code == 422
    assert Offer.objects.exists() is False
