from decimal import Decimal

import pytest

from neighbourly.core.errors import ApplicationError, NotFound, PermissionDenied
from neighbourly.groups import help_services
from neighbourly.groups.help_selectors import help_hours_totals, help_match_candidates, help_thanks_board
from neighbourly.groups.models import HelpListing, HelpMatch, HoursEntry, ProxyAction
from neighbourly.realtime.models import Conversation, ConversationMember
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


def _pair(resident):
    margaret = resident(age_band="80+")
    oliver = resident(age_band="18-24")
    request = listing(margaret, description="Phone help please")
    offer = listing(oliver, kind="offer", description="Tech help", availability=["weekday_daytime", "weekends"])
    return margaret, oliver, request, offer


def test_accept_opens_exactly_one_conversation(resident):
    margaret, oliver, request, offer = _pair(resident)
    before = Conversation.objects.count()
    match = help_services.help_match_accept(actor=margaret.user, listing=request, match_id=offer.pk)
    again = help_services.help_match_accept(actor=margaret.user, listing=request, match_id=offer.pk)
    from_other_side = help_services.help_match_accept(actor=oliver.user, listing=offer, match_id=request.pk)
    assert match.pk == again.pk == from_other_side.pk
    assert Conversation.objects.count() == before + 1
    assert set(ConversationMember.objects.filter(conversation_id=match.conversation_id).values_list("user_id", flat=True)) \
        == {margaret.user_id, oliver.user_id}
    assert (match.helper_id, match.helped_id) == (oliver.user_id, margaret.user_id)
    assert HelpListing.objects.get(pk=request.pk).status == "matched"
    assert HelpListing.objects.get(pk=offer.pk).status == "open"


def test_accept_someone_elses_listing_or_mismatch_is_refused(resident):
    margaret, oliver, request, offer = _pair(resident)
    gardener = listing(resident(), kind="offer", category="gardening")
    with pytest.raises(NotFound):
        help_services.help_match_accept(actor=margaret.user, listing=request, match_id=gardener.pk)
    stranger = resident()
    with pytest.raises(PermissionDenied):
        help_services.help_match_accept(actor=stranger.user, listing=request, match_id=offer.pk)
    assert HelpMatch.objects.exists() is False


def _match(resident):
    margaret, oliver, request, offer = _pair(resident)
    return margaret, oliver, help_services.help_match_accept(actor=margaret.user, listing=request, match_id=offer.pk)


def test_hours_need_both_confirmations(resident):
    margaret, oliver, match = _match(resident)
    entry = help_services.help_hours_confirm(user=oliver.user, match=match, hours="1")
    assert entry.status == "proposed"
    assert help_hours_totals(user=oliver.user, community=oliver.community) == {"given": 0, "received": 0}
    entry = help_services.help_hours_confirm(user=oliver.user, match=match, hours="1")  # the same side again
    assert entry.status == "proposed"
    entry = help_services.help_hours_confirm(user=margaret.user, match=match, hours="1.00")
    assert entry.status == "confirmed"
    assert help_hours_totals(user=oliver.user, community=oliver.community) == {"given": Decimal(1), "received": 0}
    assert help_hours_totals(user=margaret.user, community=oliver.community) == {"given": 0, "received": Decimal(1)}


def test_a_different_figure_replaces_the_proposal(resident):
    margaret, oliver, match = _match(resident)
    help_services.help_hours_confirm(user=oliver.user, match=match, hours="2")
    entry = help_services.help_hours_confirm(user=margaret.user, match=match, hours="1.5")
    assert (entry.status, entry.hours, entry.helper_confirmed, entry.helped_confirmed) == \
        ("proposed", Decimal("1.50"), False, True)
    entry = help_services.help_hours_confirm(user=oliver.user, match=match, hours="1.5")
    assert entry.status == "confirmed"
    assert HoursEntry.objects.count() == 1


@pytest.mark.parametrize("hours", ["-1", "0", "12.5", "1000000", "1.1", "NaN", "abc", "Infinity"])
def test_hours_cannot_be_negative_or_huge(resident, hours):
    _margaret, oliver, match = _match(resident)
    with pytest.raises(ApplicationError):
        help_services.help_hours_confirm(user=oliver.user, match=match, hours=hours)
    assert HoursEntry.objects.exists() is False


def test_outsider_cannot_record_hours(resident):
    _margaret, _oliver, match = _match(resident)
    with pytest.raises(NotFound):
        help_services.help_hours_confirm(user=resident().user, match=match, hours="1")
    assert HoursEntry.objects.exists() is False


def test_proxy_actions_are_logged(resident, api_as):
    moderator = resident(moderator=True)
    elder = resident(age_band="80+")
    student = resident(age_band="18-24")
    offer = listing(student, kind="offer")
    slug = moderator.community.slug
    client = api_as(moderator.user)
    response = client.post_json(f"/communities/{slug}/help", {
        "kind": "request", "category": "tech", "description": "Mrs E. asked at the library",
        "availability": ["weekday_daytime"], "on_behalf_of": elder.user_id, "reason": "She has no smartphone"})
    assert response.status_code == 201
    request_id = response.json()["id"]
    assert HelpListing.objects.get(pk=request_id).owner_id == elder.user_id
    no_reason = client.post_json(f"/help/{request_id}/accept", {"match_id": offer.pk})
    assert no_reason.status_code == 400
    assert HelpMatch.objects.exists() is False
    accepted = client.post_json(f"/help/{request_id}/accept", {"match_id": offer.pk, "reason": "Agreed by phone"})
    assert accepted.status_code == 201
    log = client.get_json(f"/communities/{slug}/help/proxy-log").json()["items"]
    assert [(e["action"], e["reason"], e["member"]) for e in log] == [
        ("match_accept", "Agreed by phone", elder.user.profile.display_name),
        ("listing_create", "She has no smartphone", elder.user.profile.display_name),
    ]
    assert api_as(student.user).get_json(f"/communities/{slug}/help/proxy-log").status_code == 404
    assert "Agreed by phone" in client.get(f"/communities/{slug}/help/proxy-log/").content.decode()


def test_resident_cannot_post_for_someone_else(resident, api_as):
    me, elder = resident(), resident()
    response = api_as(me.user).post_json(f"/communities/{me.community.slug}/help", {
        "kind": "request", "category": "tech", "description": "x", "availability": ["weekends"],
        "on_behalf_of": elder.user_id, "reason": "because I say so"})
    assert response.status_code == 403
    assert ProxyAction.objects.exists() is False
    assert HelpListing.objects.exists() is False


@pytest.mark.parametrize("payload", [
    {"kind": "swap", "category": "tech", "description": "x", "availability": ["weekends"]},
    {"kind": "offer", "category": "astrology", "description": "x", "availability": ["weekends"]},
    {"kind": "offer", "category": "tech", "description": "", "availability": ["weekends"]},
    {"kind": "offer", "category": "tech", "description": "x" * 1001, "availability": ["weekends"]},
    {"kind": "offer", "category": "tech", "description": "x", "availability": []},
    {"kind": "offer", "category": "tech", "description": "x", "availability": ["midnight"]},
])
def test_bad_listing_input_is_4xx_and_nothing_created(member, api_as, payload):
    response = api_as(member.user).post_json(f"/communities/{member.community.slug}/help", payload)
    assert response.status_code in (400, 422)
    assert HelpListing.objects.exists() is False


def test_hours_api_and_bad_input(resident, api_as):
    margaret, oliver, match = _match(resident)
    client = api_as(oliver.user)
    for hours in (-2, 0, 99, 1e9):
        assert client.post_json(f"/help/{match.offer_id}/hours", {"hours": hours}).status_code in (400, 422)
    assert HoursEntry.objects.exists() is False
    assert client.post_json(f"/help/{match.offer_id}/hours", {"hours": 1}).json()["status"] == "proposed"
    body = api_as(margaret.user).post_json(f"/help/{match.request_id}/hours", {"hours": 1}).json()
    assert body["status"] == "confirmed"
    totals = client.get_json(f"/communities/{oliver.community.slug}/help/hours").json()
    assert (Decimal(totals["given"]), Decimal(totals["received"])) == (Decimal(1), Decimal(0))


def test_thanks_board_is_opt_in(resident, api_as):
    margaret, oliver, match = _match(resident)
    help_services.help_hours_confirm(user=oliver.user, match=match, hours="2")
    help_services.help_hours_confirm(user=margaret.user, match=match, hours="2")
    assert help_thanks_board(community=oliver.community) == []
    api_as(oliver.user).put_json(f"/communities/{oliver.community.slug}/help/thanks", {"opted_in": True})
    board = api_as(margaret.user).get_json(f"/communities/{oliver.community.slug}/help/thanks").json()["items"]
    assert [row["display_name"] for row in board] == [oliver.user.profile.display_name]


def test_other_community_gets_404_on_help(resident, other_member, api_as):
    margaret, oliver, match = _match(resident)
    client = api_as(other_member.user)
    slug = margaret.community.slug
    assert client.get_json(f"/communities/{slug}/help").status_code == 404
    assert client.post_json(f"/communities/{slug}/help", {"kind": "offer", "category": "tech", "description": "x",
                                                           "availability": ["weekends"]}).status_code == 404
    assert client.get_json(f"/help/{match.request_id}/matches").status_code == 404
    assert client.post_json(f"/help/{match.request_id}/accept", {"match_id": match.offer_id}).status_code == 404
    assert client.post_json(f"/help/{match.request_id}/hours", {"hours": 1}).status_code == 404
    assert client.get(f"/help/matches/{match.pk}/").status_code == 404
    assert HoursEntry.objects.exists() is False


def test_help_list_and_matches_query_count(resident, api_as, django_assert_num_queries):
    me = resident(age_band="80+")
    request = listing(me)
    for _ in range(3):
        listing(resident(age_band="18-24"), kind="offer")
    client = api_as(me.user)
    slug = me.community.slug
    client.get_json(f"/communities/{slug}/help")
    with django_assert_num_queries(4):  # session, user, membership, listings (owners, streets joined)
        assert len(client.get_json(f"/communities/{slug}/help").json()["items"]) == 4
    with django_assert_num_queries(4):  # session, user, listing+viewer, candidates
        assert len(client.get_json(f"/help/{request.pk}/matches").json()["items"]) == 3
    for _ in range(20):
        listing(resident(age_band="25-34"), kind="offer")
    with django_assert_num_queries(4):
        assert len(client.get_json(f"/communities/{slug}/help").json()["items"]) == 24
    with django_assert_num_queries(4):
        assert len(client.get_json(f"/help/{request.pk}/matches").json()["items"]) == 20
