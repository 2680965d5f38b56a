from decimal import Decimal

import pytest

from neighbourly.groups.help import services as help_services
from neighbourly.groups.help.selectors import help_thanks_board
from neighbourly.groups.models import HelpListing, HelpMatch, HoursEntry, ProxyAction
from tests.groups.conftest import listing
from tests.groups.help.conftest import accepted_match

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize(("payload", "status"), [
    ({"kind": "swap", "category": "tech", "description": "x", "availability": ["weekends"]}, 422),
    ({"kind": "offer", "category": "astrology", "description": "x", "availability": ["weekends"]}, 422),
    ({"kind": "offer", "category": "tech", "description": "", "availability": ["weekends"]}, 400),
    ({"kind": "offer", "category": "tech", "description": "x" * 1001, "availability": ["weekends"]}, 400),
    ({"kind": "offer", "category": "tech", "description": "x", "availability": []}, 400),
    ({"kind": "offer", "category": "tech", "description": "x", "availability": ["midnight"]}, 422),
])
def test_bad_listing_input_is_4xx_and_nothing_created(member, api_as, payload, status):
    response = api_as(member.user).post_json(f"/communities/{member.community.slug}/help", payload)
    assert response.status_code == status
    assert HelpListing.objects.exists() is False


def test_hours_api_and_bad_input(resident, api_as):
    margaret, oliver, match = accepted_match(resident)
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
    margaret, oliver, match = accepted_match(resident)
    help_services.help_hours_confirm(user=oliver.user, match=match, hours="2")
    help_services.help_hours_confirm(user=margaret.user, match=match, hours="2")
    assert help_thanks_board(community=oliver.community) == []
    api_as(oliver.user).put_json(f"/communities/{oliver.community.slug}/help/thanks", {"opted_in": True})
    board = api_as(margaret.user).get_json(f"/communities/{oliver.community.slug}/help/thanks").json()["items"]
    assert [row["display_name"] for row in board] == [oliver.user.profile.display_name]


def test_other_community_gets_404_on_help(resident, other_member, api_as):
    margaret, _oliver, match = accepted_match(resident)
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
