"""Geolocation: the browser's position near the address point; a hint unless the community trusts it."""

import math

from django.utils import timezone

from neighbourly.communities.geo import distance_m
from neighbourly.core.errors import ApplicationError
from neighbourly.verification.methods.base import Outcome, VerificationMethod

STORED_DECIMALS = 3  # about 110 m of latitude: enough for a moderator, not a house


class GeolocationMethod(VerificationMethod):
    name = "geolocation"
    label = "My location"
    instructions = (
        "At home, let your browser share your location once. We keep only a rough position (about 100 m)."
    )

    def submit(self, *, claim, actor, lat=None, lon=None, accuracy_m=None, **data) -> Outcome:
        if actor.pk != claim.user_id:
            raise ApplicationError("Only the claimant can share their location.")
        try:
            lat, lon, accuracy = float(lat), float(lon), float(accuracy_m)
        except (TypeError, ValueError):
            raise ApplicationError("Send lat, lon and accuracy_m as numbers.") from None
        if not all(math.isfinite(v) for v in (lat, lon, accuracy)):
            raise ApplicationError("Send lat, lon and accuracy_m as numbers.")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or accuracy < 0:
            raise ApplicationError("That is not a position on Earth.")
        community = claim.community
        distance = None
        accepted = False
        if claim.address_id:
            distance = distance_m(lon, lat, claim.address.lon, claim.address.lat)
            accepted = (
                distance <= community.geolocation_radius_m
                and accuracy <= community.geolocation_max_accuracy_m
            )
        claim.geo_lat = round(lat, STORED_DECIMALS)
        claim.geo_lon = round(lon, STORED_DECIMALS)
        claim.geo_accuracy_m = min(round(accuracy), 2_000_000_000)
        claim.geo_distance_m = None if distance is None else min(round(distance), 2_000_000_000)
        claim.geo_accepted = accepted
        claim.geo_at = timezone.now()
        claim.save(
            update_fields=[
                "geo_lat",
                "geo_lon",
                "geo_accuracy_m",
                "geo_distance_m",
                "geo_accepted",
                "geo_at",
                "updated_at",
            ]
        )
        where = "no address point" if distance is None else f"{claim.geo_distance_m} m from the address"
        summary = f"location {where}, accuracy {claim.geo_accuracy_m} m"
        if accepted and community.geolocation_suffices:
            return Outcome(Outcome.VERIFIED, summary=summary)
        reason = "location near the address" if accepted else "location not close or precise enough"
        return Outcome(Outcome.REVIEW, summary=summary, review_reason=reason)

    def evidence(self, claim) -> dict:
        return {
            "distance_m": claim.geo_distance_m,
            "accuracy_m": claim.geo_accuracy_m,
            "accepted": claim.geo_accepted,
            "at": claim.geo_at,
        }
