"""Residents recommend a business once and can withdraw; counts on the business page and panel."""

import pytest

from neighbourly.merchants.models import Recommendation
from tests.communities.factories import MembershipFactory
from tests.merchants.factories import make_business

pytestmark = pytest.mark.django_db


def test_recommend_once_then_withdraw(business, member, api_as):
    api = api_as(member.user)
    first = api.post_json(f"/businesses/{business.id}/recommendation")
    assert (first.status_code, first.json()["recommendations"], first.json()["recommended_by_me"]) == (200, 1, True)
    again = api.post_json(f"/businesses/{business.id}/recommendation")
    assert again.json()["recommendations"] == 1
    withdrawn = api.delete_json(f"/businesses/{business.id}/recommendation")
    assert (withdrawn.json()["recommendations"], withdrawn.json()["recommended_by_me"]) == (0, False)
    assert Recommendation.objects.exists() is False


def test_owner_and_outsiders_cannot_recommend(business, merchant, other_member, pending_member, api_as):
    assert api_as(merchant).post_json(f"/businesses/{business.id}/recommendation").status_code == 400
    assert api_as(other_member.user).post_json(f"/businesses/{business.id}/recommendation").status_code == 404
    assert api_as(pending_member.user).post_json(f"/businesses/{business.id}/recommendation").status_code == 404
    assert Recommendation.objects.exists() is False


def test_unverified_business_cannot_be_recommended_or_seen_by_residents(merchant, community, member, api_as):
    pending = make_business(owner=merchant, communities=[community], verified=False)
    assert api_as(member.user).get_json(f"/businesses/{pending.id}").status_code == 404
    assert api_as(member.user).post_json(f"/businesses/{pending.id}/recommendation").status_code == 404


def test_counts_show_in_the_directory_and_side_panel(business, community, member, api_as, client):
    for _ in range(3):
        api_as(MembershipFactory(community=community, verified=True).user).post_json(
            f"/businesses/{business.id}/recommendation"
        )
    items = api_as(member.user).get_json(f"/communities/{community.slug}/businesses").json()["items"]
    assert [(i["id"], i["recommendations"], i["recommended_by_me"]) for i in items] == [(business.id, 3, False)]
    client.force_login(member.user)
    panel = client.get(f"/communities/{community.slug}/businesses/panel/")
    assert panel.status_code == 200
    assert business.name in panel.content.decode()
    assert "3 recommendations" in panel.content.decode()


def test_recommend_page_button_toggles_with_htmx(business, member, client):
    client.force_login(member.user)
    response = client.post(f"/businesses/{business.id}/recommend/", {"recommended": "0"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Withdraw my recommendation" in response.content.decode()
    response = client.post(f"/businesses/{business.id}/recommend/", {"recommended": "1"}, HTTP_HX_REQUEST="true")
    assert ">Recommend<" in response.content.decode()
    assert Recommendation.objects.exists() is False
