"""A merchant edits their business, and edits, pauses, resumes and ends an offer (API and pages):
only owners, caps never below what is claimed, paused and ended offers leave the feed and cannot be
claimed, codes already given still redeem."""

from datetime import timedelta

import pytest
from django.utils import timezone

from neighbourly.merchants import services
from neighbourly.feed.models import Post
from neighbourly.merchants.models import Business, Offer, OfferStatus
from tests.accounts.factories import UserFactory
from tests.feed.factories import PostFactory
from tests.merchants.factories import make_offer

pytestmark = pytest.mark.django_db


def offer_titles_in_feed(api, community) -> list[str]:
    if not Post.objects.filter(community=community).exists():  # offers slot in after every 5 posts
        PostFactory.create_batch(6, community=community)
    items = api.get_json(f"/communities/{community.slug}/feed").json()["items"]
    return [i["title"] for i in items if i["type"] == "offer"]


def test_owner_edits_business_details_but_not_its_address(business, merchant, api_as):
    response = api_as(merchant).patch_json(f"/businesses/{business.id}", {
        "name": "Elm Street Bakery", "opening_hours": "Tue–Sat 7–15", "description": "Sourdough daily",
        "address": "1 Somewhere Else"})
    assert response.status_code == 200
    data = response.json()
    assert (data["name"], data["opening_hours"], data["description"]) == (
        "Elm Street Bakery", "Tue–Sat 7–15", "Sourdough daily")
    business.refresh_from_db()
    assert business.address != "1 Somewhere Else"


def test_business_edit_is_404_for_anyone_but_an_owner_and_bad_input_is_400(business, member, merchant, api_as):
    name = business.name
    assert api_as(member.user).patch_json(f"/businesses/{business.id}", {"name": "Mine now"}).status_code == 404
    assert api_as(merchant).patch_json(f"/businesses/{business.id}", {"name": "  "}).status_code == 400
    assert api_as(merchant).patch_json(f"/businesses/{business.id}", {"category": "casino"}).status_code == 400
    assert Business.objects.get(pk=business.pk).name == name


def test_owner_edits_an_offer_and_neighbours_see_the_new_wording(offer, merchant, member, community, api_as):
    ends = timezone.now() + timedelta(days=5)
    response = api_as(merchant).patch_json(f"/offers/{offer.id}", {
        "title": "Two for one", "ends_at": ends.isoformat(), "max_claims": 30})
    assert response.status_code == 200
    assert response.json()["status"] == "live"
    seen = api_as(member.user).get_json(f"/offers/{offer.id}").json()
    assert seen["title"] == "Two for one" and seen["status"] is None
    assert offer_titles_in_feed(api_as(member.user), community) == ["Two for one"]


def test_offer_cap_never_drops_below_what_is_claimed(offer, merchant, member, api_as):
    services.offer_claim(viewer=member.user, offer_id=offer.id)
    response = api_as(merchant).patch_json(f"/offers/{offer.id}", {"max_claims": 0})
    assert response.status_code == 422  # schema: at least 1
    offer.claims_count = 3
    offer.save(update_fields=["claims_count"])
    response = api_as(merchant).patch_json(f"/offers/{offer.id}", {"max_claims": 2})
    assert response.status_code == 400
    assert "3 already claimed" in response.json()["detail"]
    past = api_as(merchant).patch_json(f"/offers/{offer.id}", {"ends_at": (timezone.now() - timedelta(hours=1)).isoformat()})
    assert past.status_code == 400
    assert Offer.objects.get(pk=offer.pk).max_claims == offer.max_claims


def test_paused_offer_leaves_the_feed_cannot_be_claimed_and_resumes(offer, merchant, member, community, api_as):
    assert api_as(merchant).post_json(f"/offers/{offer.id}/pause").json()["status"] == "paused"
    assert offer_titles_in_feed(api_as(member.user), community) == []
    claim = api_as(member.user).post_json(f"/offers/{offer.id}/claim")
    assert claim.status_code == 409
    assert api_as(merchant).post_json(f"/offers/{offer.id}/pause").status_code == 200  # twice is fine
    assert api_as(merchant).post_json(f"/offers/{offer.id}/resume").json()["status"] == "live"
    assert offer_titles_in_feed(api_as(member.user), community) == [offer.title]


def test_ended_offer_is_final_but_its_codes_still_redeem(offer, business, merchant, member, api_as):
    claim, _ = services.offer_claim(viewer=member.user, offer_id=offer.id)
    ended = api_as(merchant).post_json(f"/offers/{offer.id}/end")
    assert ended.json()["status"] == "closed"
    assert Offer.objects.get(pk=offer.pk).closed_at is not None
    assert api_as(merchant).post_json(f"/offers/{offer.id}/resume").status_code == 409
    assert api_as(merchant).patch_json(f"/offers/{offer.id}", {"title": "Back again"}).status_code == 409
    redeemed = services.offer_redeem(viewer=merchant, business_id=business.id, code=claim.code)
    assert redeemed.redeemed_at is not None


def test_paused_offer_past_its_end_is_closed_by_the_sweep_and_cannot_resume(offer, merchant, api_as):
    services.offer_pause(actor=merchant, offer_id=offer.id)
    Offer.objects.filter(pk=offer.pk).update(ends_at=timezone.now() - timedelta(minutes=1),
                                             starts_at=timezone.now() - timedelta(days=1))
    assert api_as(merchant).post_json(f"/offers/{offer.id}/resume").status_code == 409
    services.offers_close_finished()
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.CLOSED


def test_offer_changes_are_404_for_other_merchants_and_residents(offer, member, api_as):
    stranger = UserFactory()
    for user in (stranger, member.user):
        for path in ("pause", "resume", "end"):
            assert api_as(user).post_json(f"/offers/{offer.id}/{path}").status_code == 404
        assert api_as(user).patch_json(f"/offers/{offer.id}", {"title": "x"}).status_code == 404
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.LIVE


# --- pages -------------------------------------------------------------------------------------


def test_business_edit_page_saves_and_keeps_input_on_error(business, merchant, client):
    client.force_login(merchant)
    page = client.get(f"/businesses/{business.id}/edit/")
    assert page.status_code == 200 and business.name in page.content.decode()
    bad = client.post(f"/businesses/{business.id}/edit/", {"name": "", "category": "shop",
                                                           "description": "Kept text"})
    assert bad.status_code == 200 and "Kept text" in bad.content.decode()
    done = client.post(f"/businesses/{business.id}/edit/", {"name": "Elm Bakery", "category": "shop",
                                                            "opening_hours": "", "description": ""})
    assert done.status_code == 302
    assert Business.objects.get(pk=business.pk).name == "Elm Bakery"


def test_offer_edit_page_pauses_resumes_and_ends_with_confirmation(offer, merchant, member, client):
    client.force_login(merchant)
    page = client.get(f"/offers/{offer.id}/edit/").content.decode()
    assert "Pause the offer" in page and "Yes, end it" in page
    client.post(f"/offers/{offer.id}/status/", {"action": "pause"})
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.PAUSED
    assert "Resume the offer" in client.get(f"/offers/{offer.id}/edit/").content.decode()
    client.post(f"/offers/{offer.id}/status/", {"action": "resume"})
    client.post(f"/offers/{offer.id}/status/", {"action": "end"})
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.CLOSED
    client.force_login(member.user)
    assert client.get(f"/offers/{offer.id}/edit/").status_code == 404
    assert client.post(f"/offers/{offer.id}/status/", {"action": "pause"}).status_code == 404


def test_offer_edit_page_saves_details(offer, merchant, client):
    client.force_login(merchant)
    ends = (timezone.localtime() + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/offers/{offer.id}/edit/", {"title": "Half-price loaves", "body": "After 4pm",
                                                          "ends_at": ends, "max_claims": 40, "per_household": 2})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.title, offer.max_claims, offer.per_household) == ("Half-price loaves", 40, 2)


def test_offer_edit_page_with_a_non_image_changes_nothing(offer, merchant, client, tiny_jpeg):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(merchant)
    ends = (timezone.localtime() + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    fields = {"title": "Half-price loaves", "body": "After 4pm", "ends_at": ends, "max_claims": 40, "per_household": 2}
    before = (offer.title, offer.max_claims, offer.image)
    response = client.post(f"/offers/{offer.id}/edit/", {
        **fields, "image": SimpleUploadedFile("a.jpg", b"%PDF-1.4 not a picture", "image/jpeg")})
    assert response.status_code == 200
    assert "Only JPEG, PNG and WebP images are accepted." in response.content.decode()
    offer.refresh_from_db()
    assert (offer.title, offer.max_claims, offer.image) == before
    response = client.post(f"/offers/{offer.id}/edit/", {
        **fields, "image": SimpleUploadedFile("a.jpg", tiny_jpeg, "image/jpeg")})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Half-price loaves" and offer.image


def test_paused_offer_page_tells_residents(offer, merchant, member, client):
    services.offer_pause(actor=merchant, offer_id=offer.id)
    client.force_login(member.user)
    assert "has paused this offer" in client.get(f"/offers/{offer.id}/").content.decode()


def test_counter_empties_the_code_after_a_redemption_and_keeps_a_wrong_one(offer, business, merchant, member,
                                                                           client):
    claim, _ = services.offer_claim(viewer=member.user, offer_id=offer.id)
    client.force_login(merchant)
    wrong = client.post(f"/businesses/{business.id}/counter/", {"code": "ABCD-EFGH"}, HTTP_HX_REQUEST="true")
    assert 'value="ABCD-EFGH"' in wrong.content.decode()
    done = client.post(f"/businesses/{business.id}/counter/", {"code": claim.code}, HTTP_HX_REQUEST="true")
    html = done.content.decode()
    assert "Redeemed" in html and 'value=""' in html and claim.code not in html


def test_dashboard_links_to_editing(offer, business, merchant, client):
    client.force_login(merchant)
    html = client.get("/merchants/").content.decode()
    assert f"/offers/{offer.id}/edit/" in html and f"/businesses/{business.id}/edit/" in html


def test_more_offers_do_not_cost_more_queries_to_pause(business, community, merchant, django_assert_num_queries):
    offers = [make_offer(business=business, communities=[community], title=f"Offer {i}") for i in range(3)]
    with django_assert_num_queries(5):  # savepoint, owner check, lock, update, release
        services.offer_pause(actor=merchant, offer_id=offers[0].id)
