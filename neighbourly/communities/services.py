"""Writes for communities, the address register and memberships."""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from shapely.geometry import mapping

from neighbourly.accounts.services import block_create
from neighbourly.communities.addressing import address_key, normalise_number, normalise_street
from neighbourly.communities.geo import BoundaryIndex, boundary_from_geojson
from neighbourly.communities.models import Address, Community, Membership, MembershipStatus, Role
from neighbourly.core.errors import ApplicationError
from neighbourly.core.events import sockets_recheck
from neighbourly.core.validation import full_clean_or_raise

REQUIRED_COLUMNS = ("LON", "LAT", "NUMBER", "STREET")
OPTIONAL_COLUMNS = ("UNIT", "CITY", "POSTCODE")
IMPORT_BATCH_SIZE = 2000
SUSPEND_MAX_DAYS = 365  # the longest suspension a moderator or site admin may give


@transaction.atomic
def community_create(*, slug: str, name: str, boundary: dict, nearby_slugs: Iterable[str] = ()) -> Community:
    if slugify(slug) != slug or not slug:
        raise ApplicationError("The slug may hold only lower-case letters, digits and hyphens.")
    if Community.objects.filter(slug=slug).exists():
        raise ApplicationError(f"A community with the slug '{slug}' already exists.")
    geometry = boundary_from_geojson(boundary)
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    community = Community(
        slug=slug,
        name=(name or "").strip(),
        boundary=mapping(geometry),
        min_lon=min_lon,
        min_lat=min_lat,
        max_lon=max_lon,
        max_lat=max_lat,
    )
    full_clean_or_raise(community)
    community.save()
    community_set_nearby(community=community, nearby_slugs=nearby_slugs)
    return community


def communities_delete(*, slugs: Iterable[str]) -> int:
    """Delete communities with everything in them (the demo's reset; a site admin's removal)."""
    deleted, _ = Community.objects.filter(slug__in=list(slugs)).delete()
    return deleted


def community_set_nearby(*, community: Community, nearby_slugs: Iterable[str]) -> None:
    slugs = [s for s in (s.strip() for s in nearby_slugs) if s and s != community.slug]
    found = list(Community.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {c.slug for c in found})
    if missing:
        raise ApplicationError(f"Unknown nearby communit{'y' if len(missing) == 1 else 'ies'}: {', '.join(missing)}.")
    community.nearby.add(*found)


@dataclass
class ImportResult:
    imported: int = 0
    duplicates: int = 0
    outside: int = 0
    invalid: int = 0

    @property
    def total(self) -> int:
        return self.imported + self.duplicates + self.outside + self.invalid


def check_address_columns(fieldnames: Iterable[str] | None) -> dict[str, str]:
    """Map the canonical column names to the file's own (any case); refuse missing ones."""
    present = {name.strip().upper(): name for name in (fieldnames or []) if name}
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if missing:
        raise ApplicationError(
            f"The CSV lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(expected OpenAddresses columns {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)})."
        )
    return {c: present[c] for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if c in present}


def addresses_import(*, rows: Iterable[Mapping[str, str]], columns: Mapping[str, str]) -> ImportResult:
    """Stream OpenAddresses rows into the register, each into the community containing it.

    Idempotent: an address already in the register (same normalised key in the same
    community) counts as a duplicate and is left as it is.
    """
    communities = list(Community.objects.values_list("id", "boundary"))
    index = BoundaryIndex(communities)
    seen: dict[int, set[str]] = {cid: set() for cid, _ in communities}
    for community_id, key in Address.objects.values_list("community_id", "key").iterator(chunk_size=5000):
        seen[community_id].add(key)

    def col(row, name):
        source = columns.get(name)
        return (row.get(source) or "").strip() if source else ""

    result = ImportResult()
    batch: list[Address] = []
    for row in rows:
        try:
            lon, lat = float(col(row, "LON")), float(col(row, "LAT"))
        except ValueError:
            result.invalid += 1
            continue
        number, street = col(row, "NUMBER"), col(row, "STREET")
        if not (number and street and math.isfinite(lon) and math.isfinite(lat)) or len(street) > 120:
            result.invalid += 1
            continue
        community_id = index.locate(lon, lat)
        if community_id is None:
            result.outside += 1
            continue
        unit = col(row, "UNIT")[:20]
        key = address_key(number=number, street=street, unit=unit)
        if key in seen[community_id]:
            result.duplicates += 1
            continue
        seen[community_id].add(key)
        batch.append(
            Address(
                community_id=community_id,
                number=number[:20],
                street=street,
                unit=unit,
                city=col(row, "CITY")[:80],
                postcode=col(row, "POSTCODE")[:20],
                lon=lon,
                lat=lat,
                key=key,
                street_key=normalise_street(street),
                number_key=normalise_number(number)[:20],
            )
        )
        if len(batch) >= IMPORT_BATCH_SIZE:
            result.imported += _flush(batch)
    result.imported += _flush(batch)
    return result


def _flush(batch: list[Address]) -> int:
    count = len(batch)
    if count:
        with transaction.atomic():
            Address.objects.bulk_create(batch, batch_size=IMPORT_BATCH_SIZE)
        batch.clear()
    return count


@transaction.atomic
def membership_start(*, user, address: Address) -> Membership:
    """A newcomer says where they live: a pending membership of that address's community.

    A verified member keeps their membership as it is; a pending one moves to the new address.
    """
    membership = (
        Membership.objects.select_for_update().filter(user=user, community_id=address.community_id).first()
    )
    if membership is None:
        membership = Membership(user=user, community_id=address.community_id, address=address)
    elif membership.status == MembershipStatus.PENDING:
        membership.address = address
    else:
        return membership
    full_clean_or_raise(membership, exclude=["user", "community", "address"])
    membership.save()
    return membership


@transaction.atomic
def membership_verify(*, membership: Membership) -> Membership:
    membership.status = MembershipStatus.VERIFIED
    membership.verified_at = timezone.now()
    membership.save(update_fields=["status", "verified_at", "updated_at"])
    return membership


def memberships_verified_backdate(*, community: Community, verified_at) -> int:
    """Record that the community's verified members were verified at `verified_at` (the demo's
    residents have "lived here" a while, so they may vouch). Returns how many changed."""
    if verified_at > timezone.now():
        raise ApplicationError("A verification date cannot be in the future.")
    return Membership.objects.filter(community=community, status=MembershipStatus.VERIFIED).update(
        verified_at=verified_at, updated_at=timezone.now()
    )


@transaction.atomic
def membership_grant_role(*, user, community: Community, role: str) -> Membership:
    """Appoint a moderator or property manager. Appointed staff count as verified members."""
    if role not in (Role.MODERATOR, Role.PROPERTY_MANAGER, Role.RESIDENT):
        raise ApplicationError(f"Unknown role '{role}': use moderator, property_manager or resident.")
    membership, _ = Membership.objects.select_for_update().get_or_create(user=user, community=community)
    role_taken = membership.role != role and membership.role != Role.RESIDENT
    membership.role = role
    if membership.status != MembershipStatus.VERIFIED:
        membership.status = MembershipStatus.VERIFIED
        membership.verified_at = timezone.now()
    membership.save()
    if role_taken:
        sockets_recheck(user_id=user.pk)
    return membership



@transaction.atomic
def membership_start_unaddressed(*, user, community: Community) -> Membership:
    """A pending membership where the community has no register: the typed address is on the claim."""
    membership, _ = Membership.objects.select_for_update().get_or_create(user=user, community=community)
    return membership


@transaction.atomic
def membership_unverify(*, membership: Membership) -> Membership:
    """Verification revoked (the member moved away): back to pending, so they can claim anew."""
    membership.status = MembershipStatus.PENDING
    membership.verified_at = None
    membership.save(update_fields=["status", "verified_at", "updated_at"])
    sockets_recheck(user_id=membership.user_id)
    return membership


@transaction.atomic
def membership_suspend(*, membership: Membership, until) -> Membership:
    """Suspend a verified member until `until` (moderation decides and records why)."""
    if membership.status not in (MembershipStatus.VERIFIED, MembershipStatus.SUSPENDED):
        raise ApplicationError("Only a verified member can be suspended.")
    if until <= timezone.now():
        raise ApplicationError("A suspension must end in the future.")
    membership.status = MembershipStatus.SUSPENDED
    membership.suspended_until = until
    membership.save(update_fields=["status", "suspended_until", "updated_at"])
    sockets_recheck(user_id=membership.user_id)  # their sockets stop within a second, not at the heartbeat
    return membership


@transaction.atomic
def membership_suspension_end(*, membership: Membership) -> Membership:
    """Back to verified (the suspension elapsed, or was overturned). Idempotent."""
    updated = Membership.objects.filter(pk=membership.pk, status=MembershipStatus.SUSPENDED).update(
        status=MembershipStatus.VERIFIED, suspended_until=None, updated_at=timezone.now()
    )
    if updated:
        membership.status = MembershipStatus.VERIFIED
        membership.suspended_until = None
    return membership


def membership_suspension_lift_if_elapsed(*, membership: Membership) -> Membership:
    """End this member's suspension if its end has passed (a read met it: selectors only report
    it, as `suspension_elapsed`). A suspension given again meanwhile stays. Idempotent."""
    now = timezone.now()
    updated = Membership.objects.filter(
        pk=membership.pk, status=MembershipStatus.SUSPENDED, suspended_until__lte=now
    ).update(status=MembershipStatus.VERIFIED, suspended_until=None, updated_at=now)
    if updated:
        membership.status = MembershipStatus.VERIFIED
        membership.suspended_until = None
    membership.suspension_elapsed = False
    return membership


def membership_suspensions_lift_elapsed(*, now=None) -> int:
    """Every suspension that has run its course ends (the periodic task; idempotent)."""
    return Membership.objects.filter(
        status=MembershipStatus.SUSPENDED, suspended_until__lte=now or timezone.now()
    ).update(status=MembershipStatus.VERIFIED, suspended_until=None, updated_at=timezone.now())


def neighbour_block(*, blocker, blocked_id: int):
    """Block a neighbour (idempotent): only someone the blocker can see as one (NotFound otherwise)."""
    from neighbourly.communities.neighbours import neighbour_membership

    if blocked_id != blocker.pk:
        neighbour_membership(viewer=blocker, user_id=blocked_id)
    return block_create(blocker=blocker, blocked_id=blocked_id)
