"""A member's merchant data in their export, and what deleting the account removes."""

import pytest

from neighbourly.accounts.privacy import user_delete, user_export
from neighbourly.merchants import services
from neighbourly.merchants.models import Business, Offer, OfferClaim, Recommendation
from tests.accounts.factories import UserFactory
from tests.merchants.factories import make_business, make_offer

pytestmark = pytest.mark.django_db


def test_export_lists_claims_saves_recommendations_and_businesses(offer, business, member):
    services.offer_save(viewer=member.user, offer_id=offer.id)
    claim, _ = services.offer_claim(viewer=member.user, offer_id=offer.id)
    services.recommendation_add(viewer=member.user, business_id=business.id)
    data = user_export(user=member.user)
    assert data["offer_claims"] == [{"offer": offer.title, "business": business.name, "code": claim.code,
                                     "claimed_at": claim.created_at.isoformat(), "redeemed_at": None}]
    assert data["offers_saved"] == [offer.id]
    assert data["businesses_recommended"] == [business.name]
    assert data["businesses_owned"] == []


def test_deleting_a_resident_removes_claims_but_keeps_the_merchants_counts(offer, business, member):
    services.offer_claim(viewer=member.user, offer_id=offer.id)
    services.recommendation_add(viewer=member.user, business_id=business.id)
    user_delete(user=member.user, keep_content=True)
    assert OfferClaim.objects.exists() is False
    assert Recommendation.objects.exists() is False
    assert Offer.objects.get().claims_count == 1


def test_deleting_the_only_owner_deletes_the_business_a_co_owned_one_stays(community, merchant):
    alone = make_business(owner=merchant, communities=[community])
    make_offer(business=alone, communities=[community])
    shared = make_business(owner=merchant, communities=[community])
    partner = UserFactory()
    services.business_owner_add(business=shared, actor=merchant, new_owner=partner)
    user_delete(user=merchant, keep_content=False)
    assert list(Business.objects.values_list("id", flat=True)) == [shared.id]
    assert list(shared.owners.all()) == [partner]
    assert Offer.objects.exists() is False
