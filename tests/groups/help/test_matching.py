import pytest

from neighbourly.groups.help.selectors import help_match_candidates
from tests.groups.conftest import listing

pytestmark = pytest.mark.django_db

BASE = (-2.0, 52.5)


def _names(ranked):
    return [r.listing.description for r in ranked]


def test_matching_table(resident):
    """One request, candidates that differ in one respect each; the ranking follows the design."""
    me = resident(street="Elm Street", lon=BASE[0], lat=BASE[1], age_band="80+")
    request = listing(me, availability=["weekday_daytime", "weekends"])
    cases = [
        # description, kind, category, availability, age band, street, metres east
        ("best: young, same street, overlap", "offer", "tech", ["weekday_daytime"], "18-24", "Elm Street", 50),
        ("young, two streets away", "offer", "tech", ["weekday_daytime"], "18-24", "Oak Road", 250),
        ("young, far", "offer", "tech", ["weekday_daytime"], "25-34", "Far Lane", 900),
        ("age not stated, same street", "offer", "tech", ["weekends"], "", "Elm Street", 10),
        ("same generation, same street", "offer", "tech", ["weekends"], "65-79", "Elm Street", 10),
        ("no shared time, young, same street", "offer", "tech", ["weekday_evenings"], "18-24", "Elm Street", 10),
        ("wrong category", "offer", "gardening", ["weekday_daytime"], "18-24", "Elm Street", 10),
        ("another request", "request", "tech", ["weekday_daytime"], "18-24", "Elm Street", 10),
    ]
    for description, kind, category, availability, band, street, east in cases:
        m = resident(street=street, lon=BASE[0] + east / 68_000, lat=BASE[1], age_band=band)
        listing(m, kind=kind, category=category, availability=availability, description=description)
    listing(me, kind="offer", description="my own offer")  # never my own
    assert _names(help_match_candidates(listing=request)) == [
        "best: young, same street, overlap",
        "young, two streets away",
        "young, far",
        "age not stated, same street",
        "same generation, same street",
        "no shared time, young, same street",
    ]


def test_more_overlap_breaks_a_tie(resident):
    me = resident(age_band="18-24")
    request = listing(me, availability=["weekday_daytime", "weekends"])
    one = resident(age_band="80+")
    two = resident(age_band="80+")
    listing(one, kind="offer", availability=["weekends"], description="one slot")
    listing(two, kind="offer", availability=["weekends", "weekday_daytime"], description="two slots")
    assert _names(help_match_candidates(listing=request)) == ["two slots", "one slot"]
