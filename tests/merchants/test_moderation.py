"""Businesses and offers can be reported; hiding takes them out of feeds, panels and pages."""

import pytest

from neighbourly.merchants.models import Business, Offer
from neighbourly.moderation.models import Case
from tests.communities.factories import MembershipFactory
from tests.feed.factories import PostFactory

pytestmark = pytest.mark.django_db


def _report(api, target_type, target_id):
    return api.post_json("/reports", {"target_type": target_type, "target_id": target_id,
                                      "guideline": "honest", "reason": "Not a real shop"})


def _act(api, target_type, target_id, action):
    case = Case.objects.get(target_type=target_type, target_id=target_id)
    return api.post_json(f"/moderation/reports/{case.pk}/action",
                         {"action": action, "guideline": "honest", "reason": "Checked"})


def test_resident_reports_an_offer_and_hiding_takes_it_out_of_the_feed(offer, community, member, moderator, api_as):
    PostFactory.create_batch(6, community=community, author=member.user)
    feed = f"/communities/{community.slug}/feed"
    resident = api_as(member.user)
    assert "offer" in [i["type"] for i in resident.get_json(feed).json()["items"]]
    assert _report(resident, "offer", offer.id).status_code == 201
    assert _act(api_as(moderator.user), "offer", offer.id, "hide").status_code == 201
    assert "offer" not in [i["type"] for i in resident.get_json(feed).json()["items"]]
    assert resident.get_json(f"/offers/{offer.id}").status_code == 404
    assert resident.post_json(f"/offers/{offer.id}/claim").status_code == 404
    offer.refresh_from_db()
    assert offer.hidden_at is not None


def test_hidden_business_leaves_the_directory_but_its_owner_still_sees_it(
    business, merchant, community, member, moderator, api_as
):
    resident = api_as(member.user)
    assert _report(resident, "business", business.id).status_code == 201
    _act(api_as(moderator.user), "business", business.id, "hide")
    assert resident.get_json(f"/communities/{community.slug}/businesses").json()["items"] == []
    assert resident.get_json(f"/businesses/{business.id}").status_code == 404
    assert api_as(merchant).get_json(f"/businesses/{business.id}").status_code == 200


def test_dismissing_after_an_auto_hide_brings_the_business_back(business, community, moderator, api_as):
    case_api = api_as(moderator.user)
    reporters = [MembershipFactory(community=community, verified=True) for _ in range(3)]
    for r in reporters:
        _report(api_as(r.user), "business", business.id)
    Business.objects.filter(pk=business.pk).update(hidden_at="2026-01-01T00:00:00Z")  # as the rule would
    Case.objects.filter(target_type="business", target_id=business.id).update(hidden=True)
    assert _act(case_api, "business", business.id, "dismiss").status_code == 201
    business.refresh_from_db()
    assert business.hidden_at is None


def test_outsiders_cannot_report_what_they_cannot_see(offer, business, other_member, api_as):
    api = api_as(other_member.user)
    assert _report(api, "offer", offer.id).status_code == 404
    assert _report(api, "business", business.id).status_code == 404
    assert Case.objects.exists() is False
    assert Offer.objects.get().hidden_at is None
