"""At the counter: saving, claiming within the caps, redeeming once, and what merchants see."""

import os
import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from neighbourly.core.codes import code_format
from neighbourly.core.errors import ApplicationError, Conflict
from neighbourly.merchants import services
from neighbourly.merchants.models import Offer, OfferClaim, OfferSave, OfferStatus
from tests.communities.factories import AddressFactory, MembershipFactory
from tests.merchants.factories import make_business, make_offer

pytestmark = pytest.mark.django_db

needs_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"),
    reason="needs PostgreSQL (DATABASE_URL): SQLite's in-memory test database serialises every writer",
)


def neighbour_at(address, community):
    """A second verified resident of the same household."""
    return MembershipFactory(community=community, address=address, verified=True)


def test_claim_gives_a_code_and_claiming_again_returns_the_same(offer, member, api_as):
    api = api_as(member.user)
    first = api.post_json(f"/offers/{offer.id}/claim")
    assert first.status_code == 201
    code = first.json()["code"]
    assert len(code.replace("-", "")) == 8
    assert first.json()["qr_url"] == f"/offers/{offer.id}/qr.png"
    again = api.post_json(f"/offers/{offer.id}/claim")
    assert (again.status_code, again.json()["code"]) == (200, code)
    offer.refresh_from_db()
    assert offer.claims_count == 1
    assert api.get_json(f"/offers/{offer.id}").json()["claimed"] is True


def test_qr_image_only_for_the_claimant(offer, member, community, client):
    services.offer_claim(viewer=member.user, offer_id=offer.id)
    client.force_login(member.user)
    response = client.get(f"/offers/{offer.id}/qr.png")
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert response.content.startswith(b"\x89PNG")
    client.force_login(MembershipFactory(community=community, verified=True).user)
    assert client.get(f"/offers/{offer.id}/qr.png").status_code == 404


def test_per_household_cap_refuses_the_second_claim_of_a_household(business, community, member, api_as):
    offer = make_offer(business=business, communities=[community], max_claims=10, per_household=1)
    housemate = neighbour_at(member.address, community)
    assert api_as(member.user).post_json(f"/offers/{offer.id}/claim").status_code == 201
    refused = api_as(housemate.user).post_json(f"/offers/{offer.id}/claim")
    assert refused.status_code == 409
    assert "household" in refused.json()["detail"]
    assert OfferClaim.objects.filter(offer=offer).count() == 1


def test_total_cap_refuses_and_closes_the_offer(business, community, api_as):
    offer = make_offer(business=business, communities=[community], max_claims=2)
    residents = [MembershipFactory(community=community, verified=True) for _ in range(3)]
    responses = [api_as(r.user).post_json(f"/offers/{offer.id}/claim") for r in residents]
    assert [r.status_code for r in responses] == [201, 201, 409]
    assert responses[2].json()["detail"] == "Sorry, this offer has all been claimed."
    offer.refresh_from_db()
    assert (offer.claims_count, offer.status) == (2, OfferStatus.CLOSED)


def test_unverified_or_other_community_cannot_save_or_claim(offer, pending_member, other_member, api_as):
    for who in (pending_member.user, other_member.user):
        api = api_as(who)
        assert api.post_json(f"/offers/{offer.id}/claim").status_code == 404
        assert api.post_json(f"/offers/{offer.id}/save").status_code == 404
    assert OfferClaim.objects.exists() is False
    assert OfferSave.objects.exists() is False


def test_not_started_offer_cannot_be_claimed(business, community, member):
    offer = make_offer(business=business, communities=[community], starts_at=timezone.now() + timedelta(days=1))
    Offer.objects.filter(pk=offer.pk).update(starts_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ApplicationError):
        services.offer_claim(viewer=member.user, offer_id=offer.id)


def test_save_and_unsave_count_once(offer, member, api_as):
    api = api_as(member.user)
    assert api.post_json(f"/offers/{offer.id}/save").json()["saved"] is True
    api.post_json(f"/offers/{offer.id}/save")
    offer.refresh_from_db()
    assert offer.saves_count == 1
    assert api.delete_json(f"/offers/{offer.id}/save").json()["saved"] is False
    offer.refresh_from_db()
    assert offer.saves_count == 0


def test_merchant_redeems_a_code_once(offer, business, merchant, member, api_as):
    claim, _ = services.offer_claim(viewer=member.user, offer_id=offer.id)
    api = api_as(merchant)
    typed = code_format(claim.code).lower().replace("-", " ")  # as a person might type it
    first = api.post_json(f"/businesses/{business.id}/redemptions", {"code": typed})
    assert first.status_code == 201
    assert first.json()["claimant"] == member.user.profile.display_name
    again = api.post_json(f"/businesses/{business.id}/redemptions", {"code": claim.code})
    assert again.status_code == 409
    assert "already redeemed" in again.json()["detail"]
    offer.refresh_from_db()
    assert offer.redemptions_count == 1


def test_another_merchant_cannot_redeem_or_see_stats(offer, member, community, api_as):
    claim, _ = services.offer_claim(viewer=member.user, offer_id=offer.id)
    rival = make_business(communities=[community])
    rival_owner = rival.owners.get()
    api = api_as(rival_owner)
    # their own business: the code is not theirs to redeem
    assert api.post_json(f"/businesses/{rival.id}/redemptions", {"code": claim.code}).status_code == 400
    # somebody else's business: not found
    assert api.post_json(f"/businesses/{offer.business_id}/redemptions", {"code": claim.code}).status_code == 404
    assert api.get_json(f"/offers/{offer.id}/stats").status_code == 404
    claim.refresh_from_db()
    assert claim.redeemed_at is None


def test_wrong_codes_at_the_counter_are_rate_limited(offer, business, merchant, member, api_as):
    claim, _ = services.offer_claim(viewer=member.user, offer_id=offer.id)
    api = api_as(merchant)
    for _ in range(services.counter.WRONG_REDEEM_LIMIT):
        assert api.post_json(f"/businesses/{business.id}/redemptions", {"code": "ZZZZ-ZZZZ"}).status_code == 400
    limited = api.post_json(f"/businesses/{business.id}/redemptions", {"code": claim.code})
    assert limited.status_code == 429
    claim.refresh_from_db()
    assert claim.redeemed_at is None


def test_ended_offer_code_is_not_redeemed(offer, business, merchant, member):
    claim, _ = services.offer_claim(viewer=member.user, offer_id=offer.id)
    Offer.objects.filter(pk=offer.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Conflict):
        services.offer_redeem(viewer=merchant, business_id=business.id, code=claim.code)


def test_stats_count_saves_claims_redemptions(offer, business, merchant, community, member, api_as):
    other = MembershipFactory(community=community, verified=True)
    services.offer_save(viewer=member.user, offer_id=offer.id)
    claim, _ = services.offer_claim(viewer=member.user, offer_id=offer.id)
    services.offer_claim(viewer=other.user, offer_id=offer.id)
    services.offer_redeem(viewer=merchant, business_id=business.id, code=claim.code)
    stats = api_as(merchant).get_json(f"/offers/{offer.id}/stats").json()
    assert stats == {"offer_id": offer.id, "impressions": 0, "saves": 1, "claims": 2, "redemptions": 1,
                     "max_claims": offer.max_claims, "status": "live"}


def test_merchant_responses_never_show_an_address(business, merchant, community, api_as, client):
    address = AddressFactory(community=community, number="4217", street="Quince Row")
    resident = MembershipFactory(community=community, address=address, verified=True)
    offer = make_offer(business=business, communities=[community])
    claim, _ = services.offer_claim(viewer=resident.user, offer_id=offer.id)
    api = api_as(merchant)
    bodies = [
        api.post_json(f"/businesses/{business.id}/redemptions", {"code": claim.code}).content,
        api.get_json(f"/offers/{offer.id}/stats").content,
        api.get_json(f"/offers/{offer.id}").content,
        api.get_json(f"/businesses/{business.id}").content,
    ]
    client.force_login(merchant)
    bodies += [client.get("/merchants/").content, client.get(f"/businesses/{business.id}/").content]
    for body in bodies:
        assert b"4217" not in body
        assert b"Quince" not in body
    assert resident.user.profile.display_name.encode() in bodies[0]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_never_pass_the_cap(business, community):
    offer = make_offer(business=business, communities=[community], max_claims=3)
    residents = [MembershipFactory(community=community, verified=True).user for _ in range(8)]
    outcomes, barrier = [], threading.Barrier(len(residents))

    def claim(user):
        try:
            barrier.wait()
            services.offer_claim(viewer=user, offer_id=offer.id)
            outcomes.append("claimed")
        except ApplicationError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=claim, args=(u,)) for u in residents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    offer.refresh_from_db()
    assert outcomes.count("claimed") == 3
    assert len(outcomes) == 8
    assert (offer.claims_count, OfferClaim.objects.filter(offer=offer).count()) == (3, 3)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_redemptions_of_one_code_redeem_it_once(business, merchant, community):
    offer = make_offer(business=business, communities=[community])
    resident = MembershipFactory(community=community, verified=True)
    claim, _ = services.offer_claim(viewer=resident.user, offer_id=offer.id)
    tills = 6
    outcomes, barrier = [], threading.Barrier(tills)

    def redeem():
        try:
            barrier.wait()
            services.offer_redeem(viewer=merchant, business_id=business.id, code=claim.code)
            outcomes.append("redeemed")
        except Conflict:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=redeem) for _ in range(tills)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    offer.refresh_from_db()
    assert sorted(outcomes) == ["redeemed"] + ["refused"] * (tills - 1)
    assert offer.redemptions_count == 1
