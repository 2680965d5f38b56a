"""The merchant, resident and moderator pages, with their access rules and query budgets."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from neighbourly.core.codes import code_format
from neighbourly.merchants import services
from neighbourly.merchants.models import Business, Offer, OfferClaim, ServedCommunity, ServedStatus
from tests.accounts.factories import UserFactory
from tests.communities.factories import MembershipFactory
from tests.merchants.factories import make_business, make_offer
from tests.verification.factories import PDF

pytestmark = pytest.mark.django_db


def test_register_page_creates_a_pending_business(community, client):
    owner = UserFactory()
    client.force_login(owner)
    assert client.get("/merchants/new/").status_code == 200
    response = client.post("/merchants/new/", {
        "name": "Fix-It Fred", "category": "trades", "address": "3 Mill Lane", "communities": [community.slug],
        "proof": "postcard", "description": "", "opening_hours": "",
    })
    business = Business.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/businesses/{business.id}/"
    assert ServedCommunity.objects.get().status == ServedStatus.PENDING
    page = client.get(f"/businesses/{business.id}/").content.decode()
    assert "Address not verified yet" in page and "Code from the postcard" in page


def test_register_page_with_bad_input_shows_errors_and_creates_nothing(community, client):
    client.force_login(UserFactory())
    response = client.post("/merchants/new/", {"name": "", "category": "nonsense", "address": "x", "proof": "postcard"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert Business.objects.exists() is False


def test_offer_page_publishes_with_a_picture(business, merchant, community, client, tiny_jpeg):
    client.force_login(merchant)
    assert client.get(f"/businesses/{business.id}/offers/new/").status_code == 200
    ends = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/businesses/{business.id}/offers/new/", {
        "title": "Two for one", "body": "On buns", "ends_at": ends, "communities": [community.slug],
        "max_claims": 10, "per_household": 1, "image": SimpleUploadedFile("a.jpg", tiny_jpeg, "image/jpeg"),
    })
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.image
    assert client.get(f"/offers/{offer.id}/image/")["Content-Type"] == "image/webp"


def test_offer_page_with_a_non_image_says_so_and_publishes_nothing(business, merchant, community, client):
    client.force_login(merchant)
    ends = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    for _ in range(2):  # resubmitting the form is refused the same way: never a duplicate offer
        response = client.post(f"/businesses/{business.id}/offers/new/", {
            "title": "Two for one", "body": "On buns", "ends_at": ends, "communities": [community.slug],
            "max_claims": 10, "per_household": 1,
            "image": SimpleUploadedFile("menu.jpg", b"%PDF-1.4 not a picture", "image/jpeg"),
        })
        assert response.status_code == 200
        page = response.content.decode()
        assert 'role="alert"' in page and "Only JPEG, PNG and WebP images are accepted." in page
    assert Offer.objects.exists() is False


def test_offer_page_of_someone_elses_business_is_404(business, member, client):
    client.force_login(member.user)
    assert client.get(f"/businesses/{business.id}/offers/new/").status_code == 404
    assert client.get(f"/businesses/{business.id}/counter/").status_code == 404


def test_resident_claims_on_the_offer_page_and_sees_the_code(offer, member, client):
    client.force_login(member.user)
    page = client.get(f"/offers/{offer.id}/").content.decode()
    assert "Claim this offer" in page
    response = client.post(f"/offers/{offer.id}/claim/", HTTP_HX_REQUEST="true")
    claim = OfferClaim.objects.get()
    assert code_format(claim.code) in response.content.decode()
    assert f"/offers/{offer.id}/qr.png" in response.content.decode()


def test_counter_page_redeems_and_explains_a_wrong_code(offer, business, merchant, member, client):
    claim, _ = services.offer_claim(viewer=member.user, offer_id=offer.id)
    client.force_login(merchant)
    wrong = client.post(f"/businesses/{business.id}/counter/", {"code": "ABCD-EFGH"}, HTTP_HX_REQUEST="true")
    assert "not valid for this business" in wrong.content.decode()
    done = client.post(f"/businesses/{business.id}/counter/", {"code": claim.code}, HTTP_HX_REQUEST="true")
    assert "Redeemed" in done.content.decode() and member.user.profile.display_name in done.content.decode()
    again = client.post(f"/businesses/{business.id}/counter/", {"code": claim.code}, HTTP_HX_REQUEST="true")
    assert "already redeemed" in again.content.decode()


def test_moderator_desk_postcard_code_and_approval(community, moderator, member, client):
    owner = UserFactory()
    business = services.business_create(user=owner, name="Deli", category="food", address="8 Elm Street",
                                        community_slugs=[community.slug])
    client.force_login(moderator.user)
    desk = client.get(f"/communities/{community.slug}/moderation/businesses/").content.decode()
    assert "Deli" in desk and "Print a postcard code" in desk
    card = client.post(f"/communities/{community.slug}/moderation/businesses/{business.id}/postcard/")
    code = card.content.decode().split('data-code>')[1].split("<")[0]
    assert "8 Elm Street" in card.content.decode()
    owner_client = client.__class__()
    owner_client.force_login(owner)
    owner_client.post(f"/businesses/{business.id}/code/", {"code": code})
    business.refresh_from_db()
    assert business.is_verified
    client.post(f"/communities/{community.slug}/moderation/businesses/{business.id}/decision/", {"approve": "1"})
    assert ServedCommunity.objects.get().status == ServedStatus.APPROVED


def test_desk_and_document_are_for_that_communitys_moderators_only(community, other_community, member, client):
    owner = UserFactory()
    business = services.business_create(user=owner, name="Deli", category="food", address="8 Elm Street",
                                        community_slugs=[community.slug], proof_method="document")
    services.business_document_upload(business=business, upload=SimpleUploadedFile("lease.pdf", PDF))
    mod = MembershipFactory(community=community, moderator=True)
    other_mod = MembershipFactory(community=other_community, moderator=True)
    client.force_login(mod.user)
    document = client.get(f"/businesses/{business.id}/proof-document/")
    assert (document.status_code, document["Content-Type"]) == (200, "application/pdf")
    for who in (other_mod.user, member.user):
        client.force_login(who)
        assert client.get(f"/businesses/{business.id}/proof-document/").status_code == 404
        assert client.get(f"/communities/{community.slug}/moderation/businesses/").status_code == 404
        response = client.post(f"/communities/{community.slug}/moderation/businesses/{business.id}/decision/",
                               {"approve": "1"})
        assert response.status_code == 404
    assert ServedCommunity.objects.get().status == ServedStatus.PENDING


def test_merchant_without_an_address_lands_on_the_dashboard(business, merchant, client):
    client.force_login(merchant)
    assert client.get("/home/")["Location"] == "/merchants/"


def test_dashboard_query_count_is_constant(merchant, community, client, django_assert_num_queries):
    client.force_login(merchant)
    for n in (1, 6):
        for _ in range(n):
            business = make_business(owner=merchant, communities=[community])
            for _ in range(3):
                offer = make_offer(business=business, communities=[community])
                OfferClaim.objects.create(offer=offer, user=MembershipFactory(community=community).user,
                                          community=community, household_key=f"x{offer.id}", code=f"C{offer.id}")
        # session, user, businesses, served, offers, latest claims, the nav's profile
        with django_assert_num_queries(7):
            assert client.get("/merchants/").status_code == 200


def test_side_panel_and_directory_query_counts(community, member, client, django_assert_num_queries):
    client.force_login(member.user)
    for n in (2, 12):
        for _ in range(n):
            make_business(communities=[community])
        # session, user, membership (community access), businesses with counts (+ the nav's profile)
        with django_assert_num_queries(4):
            assert client.get(f"/communities/{community.slug}/businesses/panel/").status_code == 200
        with django_assert_num_queries(5):
            assert client.get(f"/communities/{community.slug}/businesses/").status_code == 200


def test_residents_find_report_links_on_business_and_offer_pages(offer, business, member, client):
    client.force_login(member.user)
    for page, target in ((f"/businesses/{business.id}/", f"target_type=business&amp;target_id={business.id}"),
                         (f"/offers/{offer.id}/", f"target_type=offer&amp;target_id={offer.id}")):
        assert target in client.get(page).content.decode()
    form = client.get(f"/moderation/report/?target_type=offer&target_id={offer.id}")
    assert form.status_code == 200
    assert "Report this offer" in form.content.decode()


def test_a_bad_cursor_in_the_directory_shows_the_first_page_with_a_message(business, member, client,
                                                                            assert_bad_cursor_page):
    client.force_login(member.user)
    assert_bad_cursor_page(client, f"/communities/{member.community.slug}/businesses/")


def test_a_bad_cursor_in_the_business_list_is_400(member, api_as, assert_bad_cursor_api):
    assert_bad_cursor_api(api_as(member.user), f"/communities/{member.community.slug}/businesses")
