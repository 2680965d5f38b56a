"""Claims are made through the service, as members make them; these helpers keep tests short."""

from datetime import timedelta

from django.utils import timezone

from neighbourly.verification import services
from neighbourly.verification.models import Method
from tests.accounts.factories import UserFactory
from tests.communities.factories import AddressFactory, MembershipFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def make_claim(*, community, method=Method.POSTCARD, user=None, address=None, **address_fields):
    user = user or UserFactory()
    address = address or AddressFactory(community=community, **address_fields)
    return services.claim_create(user=user, method=method, address=address)


def make_voucher(*, community, days: int = 60):
    return MembershipFactory(
        community=community, verified=True, verified_at=timezone.now() - timedelta(days=days)
    ).user
