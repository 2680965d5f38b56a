"""The demo neighbourhood: synthetic communities, addresses and people, never real data.

`demo_seed()` (re)creates it from scratch: it first removes the demo communities and every
account on the demo e-mail domain, so running it twice leaves one demo, not two. It builds the
communities and people, then each app adds its part through the demo seeders it registered
(neighbourly/core/plugins.py).
"""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from neighbourly.accounts.services import user_create, users_delete_by_email_domain
from neighbourly.communities.models import Community, Role
from neighbourly.communities.selectors import address_search, community_list
from neighbourly.communities.services import (
    addresses_import,
    check_address_columns,
    communities_delete,
    community_create,
    membership_grant_role,
    membership_start,
    membership_verify,
)
from neighbourly.core.plugins import DEMO_DOMAIN, DEMO_PASSWORD, DemoContext, demo_seeders

DEMO_DIR = Path(__file__).resolve().parent / "communities" / "demo"
DEMO_SLUGS = ("millbrook", "riverside")
__all__ = ["DEMO_DOMAIN", "DEMO_LOGINS", "DEMO_PASSWORD", "demo_exists", "demo_seed"]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    what: str


# (local part, display name, community, address, role, verified)
DEMO_PEOPLE = [
    ("resident", "Alex Morgan", "millbrook", "14 Elm Street", Role.RESIDENT, True),
    ("moderator", "Priya Shah", "millbrook", "3 Oak Road", Role.MODERATOR, True),
    ("merchant", "Tom Baker", None, None, None, False),
    ("newcomer", "Jamie Lee", "millbrook", "Flat 3, 2 Mill Close", Role.RESIDENT, False),
    ("margaret", "Margaret Ellis", "millbrook", "7 Willow Lane", Role.RESIDENT, True),
    ("oliver", "Oliver Grant", "millbrook", "21 Chestnut Avenue", Role.RESIDENT, True),
    ("sofia", "Sofia Rossi", "millbrook", "5 St Anne's Road", Role.RESIDENT, True),
    ("ben", "Ben Okafor", "riverside", "9 Bridge Street", Role.RESIDENT, True),
    ("rivermod", "Hannah Cole", "riverside", "4 Heron Court", Role.MODERATOR, True),
]
DEMO_LOGINS = [
    DemoLogin(f"resident@{DEMO_DOMAIN}", "verified resident of Millbrook"),
    DemoLogin(f"moderator@{DEMO_DOMAIN}", "moderator of Millbrook"),
    DemoLogin(f"merchant@{DEMO_DOMAIN}", "owner of a local business"),
    DemoLogin(f"newcomer@{DEMO_DOMAIN}", "newcomer who has not verified yet"),
]


def demo_clear() -> None:
    communities_delete(slugs=DEMO_SLUGS)
    users_delete_by_email_domain(domain=DEMO_DOMAIN)


@transaction.atomic
def demo_seed() -> list[DemoLogin]:
    demo_clear()
    for slug, name, nearby in (("millbrook", "Millbrook", ()), ("riverside", "Riverside", ("millbrook",))):
        boundary = json.loads((DEMO_DIR / f"{slug}.geojson").read_text())
        community_create(slug=slug, name=name, boundary=boundary, nearby_slugs=nearby)
    with (DEMO_DIR / "addresses.csv").open(newline="") as handle:
        reader = csv.DictReader(handle)
        addresses_import(rows=reader, columns=check_address_columns(reader.fieldnames))

    context = DemoContext(
        users={}, communities={c.slug: c for c in Community.objects.filter(slug__in=DEMO_SLUGS)}, memberships={}
    )
    for local, display_name, slug, typed_address, role, verified in DEMO_PEOPLE:
        user = user_create(email=f"{local}@{DEMO_DOMAIN}", password=DEMO_PASSWORD, display_name=display_name, email_confirmed=True)
        context.users[local] = user
        if slug is None:
            continue
        address = next(a for a in address_search(query=typed_address) if a.community.slug == slug)
        membership = membership_start(user=user, address=address)
        if verified:
            membership_verify(membership=membership)
        if role != Role.RESIDENT:
            membership = membership_grant_role(user=user, community=address.community, role=role)
        context.memberships[local] = membership
    for seeder in demo_seeders:
        seeder(context)
    return DEMO_LOGINS


def demo_exists() -> bool:
    return community_list().filter(slug__in=DEMO_SLUGS).exists()
