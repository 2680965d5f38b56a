"""Rate limits: the mechanism (per member, per address, windows, cache outage) and every write it
guards, through the API (429 JSON, nothing written) and a page (a message, nothing written)."""

import pytest
from django.core.cache import cache

from neighbourly.accounts.models import User
from neighbourly.core import ratelimit
from neighbourly.core.errors import RateLimited
from neighbourly.core.ratelimit import rate_limit
from neighbourly.feed.models import Comment, Post
from neighbourly.merchants.models import Business, OfferClaim
from neighbourly.moderation.models import Report
from neighbourly.realtime.models import Conversation
from neighbourly.verification.models import Claim
from tests.accounts.factories import UserFactory
from tests.communities.factories import AddressFactory, MembershipFactory
from tests.feed.factories import PostFactory
from tests.merchants.factories import make_business, make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(settings):
    def set_(**limits):
        settings.NEIGHBOURLY_RATE_LIMITS = {**settings.NEIGHBOURLY_RATE_LIMITS, **limits}

    return set_


# -- the mechanism ------------------------------------------------------------------------------

def test_per_member_budget_counts_each_member_apart(budget):
    budget(post=("2/h", None))
    ada, bob = UserFactory(), UserFactory()
    rate_limit("post", user=ada, ip="10.0.0.1")
    rate_limit("post", user=ada, ip="10.0.0.1")
    with pytest.raises(RateLimited) as refused:
        rate_limit("post", user=ada, ip="10.0.0.2")
    assert refused.value.status_code == 429
    rate_limit("post", user=bob, ip="10.0.0.1")


def test_per_address_budget_counts_everyone_behind_one_address(budget):
    budget(post=("100/h", "2/h"))
    rate_limit("post", user=UserFactory(), ip="10.0.0.1")
    rate_limit("post", user=UserFactory(), ip="10.0.0.1")
    with pytest.raises(RateLimited):
        rate_limit("post", user=UserFactory(), ip="10.0.0.1")
    rate_limit("post", user=UserFactory(), ip="10.0.0.9")


def test_a_new_window_starts_afresh(budget, monkeypatch):
    budget(post=("1/m", None))
    user = UserFactory()
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6_000_000.0)
    rate_limit("post", user=user)
    with pytest.raises(RateLimited):
        rate_limit("post", user=user)
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6_000_060.0)
    rate_limit("post", user=user)


def test_budgets_parse_and_defaults_are_sane():
    assert ratelimit.parse("20/h") == (20, 3600)
    assert ratelimit.parse("30/10s") == (30, 10)
    for action, (per_user, per_ip) in ratelimit.DEFAULT_LIMITS.items():
        assert per_user or per_ip, action
        if per_user and per_ip:
            assert ratelimit.parse(per_ip)[0] >= ratelimit.parse(per_user)[0], action


def test_cache_outage_lets_the_write_through(budget, monkeypatch):
    budget(post=("1/h", "1/h"))

    def down(*args, **kwargs):
        raise ConnectionError("cache away")

    monkeypatch.setattr(cache, "add", down)
    for _ in range(3):
        rate_limit("post", user=UserFactory(), ip="10.0.0.1")


# -- every guarded write, through the API -------------------------------------------------------

def twice(first, second, count):
    """The first call is allowed, the second refused with 429 JSON and nothing more written."""
    response = first()
    assert response.status_code in (200, 201, 202), response.content
    written = count()
    refused = second()
    assert refused.status_code == 429, refused.content
    assert set(refused.json()) == {"detail"}
    assert count() == written


def test_signup_is_limited_per_address(api, budget):
    budget(signup=(None, "1/h"))

    def signup(n):
        return lambda: api.post_json("/auth/signup", {"email": f"new{n}@example.org", "password": "kettle-on-sunday-9",
                                                      "display_name": f"New {n}"}, REMOTE_ADDR="10.1.1.1")

    twice(signup(1), signup(2), User.objects.count)
    assert api.post_json("/auth/signup", {"email": "new3@example.org", "password": "kettle-on-sunday-9",
                                          "display_name": "New 3"}, REMOTE_ADDR="10.1.1.2").status_code != 429


def test_posting_is_limited(member, api_as, budget):
    budget(post=("1/h", None))
    api = api_as(member.user)
    url = f"/communities/{member.community.slug}/posts"
    twice(lambda: api.post_json(url, {"kind": "general", "title": "Ladder to lend"}),
          lambda: api.post_json(url, {"kind": "general", "title": "Spade to lend"}), Post.objects.count)


def test_commenting_is_limited(member, api_as, budget):
    budget(comment=("1/h", None))
    post = PostFactory(community=member.community)
    api = api_as(member.user)
    url = f"/posts/{post.id}/comments"
    twice(lambda: api.post_json(url, {"body": "Thank you"}), lambda: api.post_json(url, {"body": "Thanks again"}),
          Comment.objects.count)


def test_reporting_is_limited(member, api_as, budget):
    budget(report=("1/h", None))
    first, second = PostFactory(community=member.community), PostFactory(community=member.community)
    api = api_as(member.user)

    def report(post):
        return lambda: api.post_json("/reports", {"target_type": "post", "target_id": post.id,
                                                  "guideline": "keep-it-local"})

    twice(report(first), report(second), Report.objects.count)


def test_starting_conversations_is_limited(member, api_as, budget):
    budget(conversation=("1/h", None))
    ann, ben = (MembershipFactory(community=member.community, verified=True) for _ in range(2))
    api = api_as(member.user)
    twice(lambda: api.post_json("/conversations", {"member_ids": [ann.user_id]}),
          lambda: api.post_json("/conversations", {"member_ids": [ben.user_id]}), Conversation.objects.count)
    # Opening an existing conversation again creates nothing and is not counted.
    assert api.post_json("/conversations", {"member_ids": [ann.user_id]}).status_code == 200


def test_claiming_offers_is_limited(member, api_as, budget):
    budget(offer_claim=("1/h", None))
    business = make_business(communities=[member.community])
    first, second = (make_offer(business=business, communities=[member.community]) for _ in range(2))
    api = api_as(member.user)
    twice(lambda: api.post_json(f"/offers/{first.id}/claim"), lambda: api.post_json(f"/offers/{second.id}/claim"),
          OfferClaim.objects.count)


def test_registering_businesses_is_limited(community, api_as, budget):
    budget(business=("1/d", None))
    api = api_as(UserFactory())

    def register(name):
        return lambda: api.post_json("/businesses", {"name": name, "category": "food", "address": "1 High Street",
                                                     "communities": [community.slug]})

    twice(register("Bakery"), register("Bakery Two"), Business.objects.count)


def test_address_claims_are_limited(community, api_as, budget):
    budget(address_claim=("1/d", None))
    api = api_as(UserFactory())
    first, second = AddressFactory(community=community), AddressFactory(community=community)

    def claim(address):
        return lambda: api.post_json("/verification/claims", {"address_id": address.id, "method": "postcard"})

    twice(claim(first), claim(second), Claim.objects.count)


# -- on a page: a message, nothing written ------------------------------------------------------

def test_posting_page_shows_the_limit_as_a_message(member, client, budget):
    budget(post=("0/h", None))
    client.force_login(member.user)
    response = client.post(f"/communities/{member.community.slug}/posts/new/",
                           {"kind": "general", "title": "Ladder to lend", "visibility": "community"}, follow=True)
    assert "You have posted a lot in a short time" in response.content.decode()
    assert Post.objects.count() == 0


def test_signup_page_shows_the_limit_as_a_message(client, budget):
    budget(signup=(None, "0/h"))
    response = client.post("/signup/", {"email": "new@example.org", "password": "kettle-on-sunday-9",
                                                 "display_name": "New"})
    assert "Too many sign-ups from your network" in response.content.decode()
    assert User.objects.count() == 0
