"""Ranking help candidates for a listing. Pure functions over loaded rows: the selector fetches the
candidates in one query (owner profile and address joined), this orders them.

Candidates already share the category and have the complementary kind (offer ↔ request). Among
them, in this order of importance:
  1. availability that overlaps the listing's (someone never free at the same time cannot help);
  2. a different generation (both stated an age band and they fall in different generations),
     then unknown (either did not state one), then the same generation;
  3. nearness: the same street first, then the distance between the two address points in
     100 m steps (computed, never shown);
  4. more overlapping availability;
  5. the older listing first (it has waited longer).
"""

from dataclasses import dataclass, field

from neighbourly.communities.geo import distance_m
from neighbourly.groups.models import Availability
from neighbourly.groups.selectors import generation_of

DISTANCE_STEP_M = 100


@dataclass
class RankedCandidate:
    listing: object
    overlap: list[str] = field(default_factory=list)
    key: tuple = ()

    @property
    def overlap_labels(self) -> list[str]:
        return [Availability(value).label for value in self.overlap]


def _age_band(listing) -> str:
    profile = getattr(listing.owner, "profile", None)
    return profile.age_band if profile else ""


def generation_rank(a: str, b: str) -> int:
    """0: different generations; 1: unknown (one did not say); 2: the same generation."""
    ga, gb = generation_of(a), generation_of(b)
    if ga is None or gb is None:
        return 1
    return 0 if ga != gb else 2


def street_rank(a, b) -> int:
    """0 for the same street, else 1 + whole 100 m steps between the two address points."""
    if a is None or b is None:
        return 10**6
    if a.street_key == b.street_key:
        return 0
    return 1 + int(distance_m(a.lon, a.lat, b.lon, b.lat) // DISTANCE_STEP_M)


def rank_candidates(listing, candidates) -> list[RankedCandidate]:
    mine = set(listing.availability)
    my_band = _age_band(listing)
    my_address = listing.owner_membership.address
    ranked = []
    for candidate in candidates:
        overlap = [a for a in Availability.values if a in mine and a in set(candidate.availability)]
        key = (
            0 if overlap else 1,
            generation_rank(my_band, _age_band(candidate)),
            street_rank(my_address, candidate.owner_membership.address),
            -len(overlap),
            candidate.created_at,
            candidate.pk,
        )
        ranked.append(RankedCandidate(listing=candidate, overlap=overlap, key=key))
    ranked.sort(key=lambda r: r.key)
    return ranked
