"""Registration, proof of address (postcard code, document), moderators' decisions, visibility."""

import pytest

from neighbourly.core.codes import MAX_WRONG_TRIES
from neighbourly.merchants.models import Business, BusinessOwner, ServedCommunity, ServedStatus
from tests.accounts.factories import UserFactory
from tests.communities.factories import MembershipFactory
from tests.merchants.factories import make_business
from tests.verification.factories import PDF

pytestmark = pytest.mark.django_db

PAYLOAD = {"name": "Millbrook Bakery", "category": "food", "address": "12 High Street",
           "description": "Bread and buns", "opening_hours": "Mon–Sat 7–17"}


def register(api, community, **extra):
    return api.post_json("/businesses", {**PAYLOAD, "communities": [community.slug], **extra})


def test_any_user_registers_a_business_that_waits(community, member, api_as):
    owner = UserFactory()
    response = register(api_as(owner), community)
    assert response.status_code == 201
    data = response.json()
    assert data["verified"] is False
    assert data["is_owner"] is True
    assert data["communities"] == [
        {"community": community.slug, "name": community.name, "status": "pending", "reason": "", "distance_m": None}
    ]
    business = Business.objects.get()
    assert list(BusinessOwner.objects.values_list("user_id", flat=True)) == [owner.pk]
    # Invisible to residents, and to the community's list, until verified and approved.
    assert api_as(member.user).get_json(f"/businesses/{business.id}").status_code == 404
    assert api_as(member.user).get_json(f"/communities/{community.slug}/businesses").json()["items"] == []


def test_register_refuses_unknown_community_and_changes_nothing(api_as):
    response = api_as(UserFactory()).post_json("/businesses", {**PAYLOAD, "communities": ["nowhere"]})
    assert response.status_code == 400
    assert Business.objects.exists() is False


def test_distance_to_each_community_is_shown_to_its_moderator(community, moderator, api_as):
    lon, lat = community.min_lon + 0.5, community.min_lat  # about 34 km east
    register(api_as(UserFactory()), community, lon=lon, lat=lat)
    pending = api_as(moderator.user).get_json(f"/communities/{community.slug}/moderation/businesses").json()
    assert len(pending["items"]) == 1
    assert 30_000 < pending["items"][0]["distance_m"] < 40_000


def test_postcard_flow_then_moderator_approves(community, moderator, member, api_as):
    owner_api = api_as(UserFactory())
    business_id = register(owner_api, community).json()["id"]
    mod_api = api_as(moderator.user)
    # Not proven yet: approval is refused and nothing changes.
    refused = mod_api.post_json(f"/businesses/{business_id}/decision", {"approve": True})
    assert refused.status_code == 400
    assert ServedCommunity.objects.get().status == ServedStatus.PENDING
    card = mod_api.post_json(f"/businesses/{business_id}/postcard")
    assert card.status_code == 201
    code = card.json()["code"]
    assert owner_api.post_json(f"/businesses/{business_id}/code", {"code": "ZZZZ-ZZZZ"}).status_code == 400
    entered = owner_api.post_json(f"/businesses/{business_id}/code", {"code": code.lower()})
    assert entered.status_code == 200
    assert entered.json()["verified"] is True
    decided = mod_api.post_json(f"/businesses/{business_id}/decision", {"approve": True, "reason": "Known shop"})
    assert decided.json() == {"business_id": business_id, "community": community.slug, "status": "approved",
                              "reason": "Known shop", "verified": True}
    seen = api_as(member.user).get_json(f"/businesses/{business_id}")
    assert seen.status_code == 200
    assert seen.json()["communities"][0]["reason"] == ""  # the moderators' reasons stay with owners


def test_postcard_code_locks_after_wrong_tries_in_the_database(community, moderator, api_as):
    owner_api = api_as(UserFactory())
    business_id = register(owner_api, community).json()["id"]
    code = api_as(moderator.user).post_json(f"/businesses/{business_id}/postcard").json()["code"]
    for _ in range(MAX_WRONG_TRIES - 1):
        assert owner_api.post_json(f"/businesses/{business_id}/code", {"code": "2222-2222"}).status_code == 400
    assert owner_api.post_json(f"/businesses/{business_id}/code", {"code": "2222-2222"}).status_code == 429
    # Even the right code is refused while locked, from a fresh session too.
    fresh = api_as(Business.objects.get().owners.get())
    assert fresh.post_json(f"/businesses/{business_id}/code", {"code": code}).status_code == 429
    business = Business.objects.get()
    assert business.failed_code_attempts == MAX_WRONG_TRIES
    assert business.is_verified is False


@pytest.mark.django_db(transaction=True)  # the document is deleted once the decision has committed
def test_document_proof_accepted_by_approval_and_then_deleted(community, moderator, api_as):
    owner_api = api_as(UserFactory())
    business_id = register(owner_api, community, proof="document").json()["id"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = owner_api.post(f"/api/v1/businesses/{business_id}/document",
                            {"file": SimpleUploadedFile("bill.pdf", PDF, content_type="application/pdf")})
    assert upload.status_code == 200
    business = Business.objects.get()
    assert business.document_kind == "pdf"
    path = business.document.path
    decided = api_as(moderator.user).post_json(f"/businesses/{business_id}/decision", {"approve": True})
    assert decided.json()["verified"] is True
    business.refresh_from_db()
    assert business.document.name == ""
    import os

    assert os.path.exists(path) is False


def test_far_community_refused_with_reason(community, moderator, api_as):
    business = make_business(communities=[community], approved=False)
    response = api_as(moderator.user).post_json(
        f"/businesses/{business.id}/decision", {"approve": False, "reason": "Too far from Millbrook"}
    )
    assert response.json()["status"] == "refused"
    assert api_as(moderator.user).post_json(
        f"/businesses/{business.id}/decision", {"approve": False}
    ).status_code == 400  # a refusal needs a reason


def test_only_that_communitys_moderator_decides(community, other_community, api_as):
    business = make_business(communities=[community], approved=False)
    other_mod = MembershipFactory(community=other_community, moderator=True)
    resident = MembershipFactory(community=community, verified=True)
    for user in (other_mod.user, resident.user, business.owners.get()):
        response = api_as(user).post_json(f"/businesses/{business.id}/decision", {"approve": True})
        assert response.status_code == 404
    assert ServedCommunity.objects.get().status == ServedStatus.PENDING


def test_other_community_resident_never_sees_business(business, other_member, api_as):
    assert api_as(other_member.user).get_json(f"/businesses/{business.id}").status_code == 404


def test_pending_queue_is_moderators_only(community, member, api_as):
    make_business(communities=[community], approved=False)
    assert api_as(member.user).get_json(f"/communities/{community.slug}/moderation/businesses").status_code == 404


def test_business_list_query_count(community, member, api_as, django_assert_num_queries):
    api = api_as(member.user)
    url = f"/communities/{community.slug}/businesses"
    for rows in (3, 23):
        while Business.objects.count() < rows:
            make_business(communities=[community])
        # session, user, membership, businesses (with counts)
        with django_assert_num_queries(4):
            assert len(api.get_json(url).json()["items"]) == min(rows, 20)


def test_pending_queue_query_count(community, moderator, api_as, django_assert_num_queries):
    api = api_as(moderator.user)
    url = f"/communities/{community.slug}/moderation/businesses"
    for rows in (3, 23):
        while Business.objects.count() < rows:
            make_business(communities=[community], approved=False, verified=False)
        with django_assert_num_queries(4):  # session, user, membership, queue
            assert len(api.get_json(url).json()["items"]) == rows


def test_image_uploads_refuse_bad_files_and_other_users(business, merchant, member, offer, api_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from neighbourly.merchants.models import BusinessPhoto, Offer

    def svg():
        return SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")

    owner = api_as(merchant)
    assert owner.post(f"/api/v1/businesses/{business.id}/images?kind=photo", {"file": svg()}).status_code == 400
    assert owner.post(f"/api/v1/offers/{offer.id}/image", {"file": svg()}).status_code == 400
    resident = api_as(member.user)
    assert resident.post(f"/api/v1/businesses/{business.id}/images?kind=logo", {"file": svg()}).status_code == 404
    assert resident.post(f"/api/v1/offers/{offer.id}/image", {"file": svg()}).status_code == 404
    assert BusinessPhoto.objects.exists() is False
    assert Offer.objects.get().image == ""
    business.refresh_from_db()
    assert business.logo == ""


def test_another_communitys_business_list_is_404(business, other_member, community, api_as):
    response = api_as(other_member.user).get_json(f"/communities/{community.slug}/businesses")
    assert response.status_code == 404


def test_moderator_can_neither_prove_nor_decide_their_own_business(community, moderator, api_as):
    mod_api = api_as(moderator.user)
    business_id = register(mod_api, community, proof="document").json()["id"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    mod_api.post(f"/api/v1/businesses/{business_id}/document",
                 {"file": SimpleUploadedFile("bill.pdf", PDF, content_type="application/pdf")})
    assert mod_api.post_json(f"/businesses/{business_id}/postcard").status_code == 403
    for decision in ({"approve": True}, {"approve": False, "reason": "Changed my mind"}):
        response = mod_api.post_json(f"/businesses/{business_id}/decision", decision)
        assert response.status_code == 403
        assert response.json() == {"detail": "Another moderator must check and decide on your own business."}
    business = Business.objects.get()
    assert (business.is_verified, business.document_kind) == (False, "pdf")
    assert ServedCommunity.objects.get().status == ServedStatus.PENDING
    # Another moderator of the community can.
    other = MembershipFactory(community=community, moderator=True)
    assert api_as(other.user).post_json(f"/businesses/{business_id}/decision", {"approve": True}).status_code == 200
