"""Residents recommend ("fave") a business once; they may withdraw it."""

from django.db import IntegrityError, transaction

from neighbourly.core.errors import ApplicationError
from neighbourly.merchants.models import Recommendation
from neighbourly.merchants.selectors import business_get_for_viewer


def _as_resident(viewer, business_id: int):
    business = business_get_for_viewer(viewer=viewer, business_id=business_id)
    if not business.is_verified or business.resident_community_id is None:
        raise ApplicationError("Only verified residents of a community this business serves can recommend it.")
    if business.is_owner:
        raise ApplicationError("Owners cannot recommend their own business.")
    return business


def recommendation_add(*, viewer, business_id: int) -> Recommendation:
    business = _as_resident(viewer, business_id)
    existing = Recommendation.objects.filter(business=business, user=viewer).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            rec = Recommendation(business=business, user=viewer, community_id=business.resident_community_id)
            rec.save()
            return rec
    except IntegrityError:  # a double click: the first one counts
        return Recommendation.objects.get(business=business, user=viewer)


@transaction.atomic
def recommendation_withdraw(*, viewer, business_id: int) -> None:
    business = _as_resident(viewer, business_id)
    Recommendation.objects.filter(business=business, user=viewer).delete()
