from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from neighbourly.merchants.feed_cache import feed_offers_changed
from neighbourly.merchants.models import (
    Business,
    BusinessOwner,
    Offer,
    OfferTarget,
    ServedCommunity,
    ServedStatus,
)
from tests.accounts.factories import UserFactory


class BusinessFactory(DjangoModelFactory):
    class Meta:
        model = Business

    name = factory.Sequence(lambda n: f"Corner Shop {n}")
    category = "shop"
    address = factory.Sequence(lambda n: f"{n + 100} High Street")
    created_by = factory.SubFactory(UserFactory)

    class Params:
        verified = factory.Trait(address_verified_at=factory.LazyFunction(timezone.now))


def make_business(*, owner=None, communities=(), approved=True, verified=True, **kwargs) -> Business:
    """A business owned by `owner`, serving `communities` (approved or pending)."""
    owner = owner or UserFactory()
    business = BusinessFactory(created_by=owner, verified=verified, **kwargs)
    BusinessOwner.objects.create(business=business, user=owner)
    for community in communities:
        ServedCommunity.objects.create(
            business=business, community=community,
            status=ServedStatus.APPROVED if approved else ServedStatus.PENDING,
        )
    return business


def make_offer(*, business, communities, max_claims=10, per_household=1, **kwargs) -> Offer:
    now = timezone.now()
    offer = Offer.objects.create(
        business=business,
        title=kwargs.pop("title", "10% off bread"),
        body=kwargs.pop("body", "Show your code at the till."),
        starts_at=kwargs.pop("starts_at", now - timedelta(hours=1)),
        ends_at=kwargs.pop("ends_at", now + timedelta(days=7)),
        max_claims=max_claims,
        per_household=per_household,
        **kwargs,
    )
    for community in communities:
        OfferTarget.objects.create(offer=offer, community=community)
    feed_offers_changed()  # as the services do: feeds read offers through the cache
    return offer
