import pytest

from neighbourly.communities.models import Membership, MembershipStatus, Role
from neighbourly.verification.models import Claim, ClaimDecision, ClaimStatus, Method, PostcardBatch
from neighbourly.verification.services import claim_decide
from tests.accounts.factories import UserFactory
from tests.communities.factories import AddressFactory, MembershipFactory
from tests.verification.factories import make_claim, make_voucher

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider_moderator(other_community):
    return MembershipFactory(community=other_community, moderator=True).user


def test_create_claim_ignores_status_role_and_user(community, api_as):
    address = AddressFactory(community=community)
    user, someone = UserFactory(), UserFactory()
    response = api_as(user).post_json(
        "/verification/claims",
        {
            "address_id": address.pk,
            "method": "postcard",
            "status": "verified",
            "role": "moderator",
            "user": someone.pk,
            "user_id": someone.pk,
            "is_verified": True,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["method"], body["address"]) == ("pending", "postcard", address.label)
    claim = Claim.objects.get()
    assert (claim.user_id, claim.status) == (user.pk, ClaimStatus.PENDING)
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.status) == (Role.RESIDENT, MembershipStatus.PENDING)


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"address_id": 999999, "method": "postcard"}, 404),
        ({"method": "postcard"}, 404),  # no address: nothing to claim
        ({"address_id": "real", "method": "telepathy"}, 400),  # a real address, an unknown method
    ],
)
def test_create_claim_bad_input(community, api_as, payload, status):
    address = AddressFactory(community=community)
    payload = {**payload, "address_id": address.id} if payload.get("address_id") == "real" else payload
    response = api_as(UserFactory()).post_json("/verification/claims", payload)
    assert response.status_code == status
    assert Claim.objects.exists() is False


def test_anonymous_gets_401(api):
    assert api.get_json("/verification/claims").status_code == 401
    assert api.post_json("/verification/claims", {"address_id": 1, "method": "postcard"}).status_code == 401


def test_my_claims_lists_only_mine_and_shows_the_reason(community, moderator, api_as):
    claim = make_claim(community=community)
    make_claim(community=community)
    claim_decide(moderator=moderator.user, claim_id=claim.pk, approve=False, reason="Wrong flat")
    body = api_as(claim.user).get_json("/verification/claims").json()
    assert [(i["id"], i["status"], i["decision_reason"]) for i in body["items"]] == [
        (claim.pk, "rejected", "Wrong flat")
    ]
    assert body["next_cursor"] is None


def test_vouch_url_is_shown_to_the_claimant(community, api_as):
    claim = make_claim(community=community, method=Method.VOUCH)
    body = api_as(claim.user).get_json(f"/verification/claims/{claim.pk}").json()
    assert body["vouch_url"] == f"/verification/vouch/{claim.vouch_token}/"


def test_my_claims_query_count_does_not_grow(community, django_assert_num_queries, api_as):
    user = UserFactory()
    for _ in range(3):
        make_claim(community=community, user=user)
    client = api_as(user)
    with django_assert_num_queries(3):  # session, user, claims (+community, address joined)
        assert len(client.get_json("/verification/claims").json()["items"]) == 3
    for _ in range(20):
        make_claim(community=community, user=user)
    with django_assert_num_queries(3):
        assert len(client.get_json("/verification/claims").json()["items"]) == 23


def test_claim_queue_shows_evidence_and_query_count_does_not_grow(
    community, moderator, api_as, django_assert_num_queries
):
    def add_claims(n):
        for i in range(n):
            method = [Method.POSTCARD, Method.VOUCH, Method.DOCUMENT, Method.GEOLOCATION][i % 4]
            claim = make_claim(community=community, method=method)
            if method == Method.VOUCH:
                from neighbourly.verification.services import claim_submit_evidence

                claim_submit_evidence(
                    user=make_voucher(community=community),
                    claim_id=claim.pk,
                    method=Method.VOUCH,
                    vouch_token=claim.vouch_token,
                )

    add_claims(4)
    client = api_as(moderator.user)
    # session, user, moderator check, claims, live postcards, vouches, register entries
    with django_assert_num_queries(7):
        body = client.get_json(f"/communities/{community.slug}/moderation/claims").json()
    assert len(body["items"]) == 4
    vouch_item = next(i for i in body["items"] if i["method"] == "vouch")
    assert vouch_item["evidence"]["vouch"]["vouches"] == 1
    assert vouch_item["claimant"]["display_name"]
    add_claims(20)
    with django_assert_num_queries(7):
        assert len(client.get_json(f"/communities/{community.slug}/moderation/claims").json()["items"]) == 24


def test_queue_pages_with_a_cursor(community, moderator, api_as):
    claims = [make_claim(community=community) for _ in range(3)]
    from neighbourly.verification import selectors

    page, cursor = selectors.claim_page(
        selectors.claim_queue_for_moderator(community=community), cursor=None, descending=False, size=2
    )
    assert [c.pk for c in page] == [claims[0].pk, claims[1].pk] and cursor
    body = (
        api_as(moderator.user)
        .get_json(f"/communities/{community.slug}/moderation/claims?cursor={cursor}")
        .json()
    )
    assert [i["id"] for i in body["items"]] == [claims[2].pk]


def test_a_bad_cursor_is_400(community, moderator, api_as):
    client = api_as(moderator.user)
    for cursor in ("12", "not-a-cursor"):  # a bare id (the old cursor) is no longer one
        response = client.get_json(f"/communities/{community.slug}/moderation/claims?cursor={cursor}")
        assert (response.status_code, response.json()) == (
            400, {"detail": "That cursor is not valid; start again from the first page."})


def test_another_communitys_moderator_gets_404_for_the_whole_desk(
    community, outsider_moderator, member, api_as
):
    claim = make_claim(community=community)
    make_claim(community=community, method=Method.POSTCARD)
    for user in (outsider_moderator, member.user):
        client = api_as(user)
        assert client.get_json(f"/communities/{community.slug}/moderation/claims").status_code == 404
        assert (
            client.post_json(f"/verification/claims/{claim.pk}/decision", {"approve": True}).status_code
            == 404
        )
        assert client.post_json(f"/communities/{community.slug}/moderation/postcards").status_code == 404
        assert (
            client.get_json(f"/communities/{community.slug}/moderation/verification-log").status_code == 404
        )
        assert client.post_json(f"/verification/claims/{claim.pk}/revoke", {"reason": "x"}).status_code == 404
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    assert PostcardBatch.objects.exists() is False


def test_moderator_decision_and_log(community, moderator, api_as):
    claim = make_claim(community=community, method=Method.DOCUMENT)
    client = api_as(moderator.user)
    response = client.post_json(
        f"/verification/claims/{claim.pk}/decision", {"approve": True, "reason": "Bill ok"}
    )
    assert response.json()["status"] == "verified"
    assert (
        client.post_json(
            f"/verification/claims/{claim.pk}/decision", {"approve": False, "reason": "x"}
        ).status_code
        == 400
    )
    log = client.get_json(f"/communities/{community.slug}/moderation/verification-log").json()["items"]
    assert [(d["outcome"], d["actor"], d["reason"]) for d in log] == [
        ("verified", moderator.user.profile.display_name, "Bill ok"),
        ("submitted", claim.user.profile.display_name, ""),
    ]
    assert ClaimDecision.objects.count() == 2


def test_postcard_batch_api_returns_codes_once(community, moderator, api_as):
    claim = make_claim(community=community, method=Method.POSTCARD)
    client = api_as(moderator.user)
    body = client.post_json(f"/communities/{community.slug}/moderation/postcards").json()
    card = body["cards"][0]
    assert (card["claim_id"], card["address"], len(card["code"])) == (claim.pk, claim.address.label, 9)
    assert client.post_json(f"/communities/{community.slug}/moderation/postcards").status_code == 400
    sent = client.post_json(f"/communities/{community.slug}/moderation/postcards/{body['batch_id']}/sent")
    assert sent.json()["sent_at"] is not None
    ok = api_as(claim.user).post_json(f"/verification/claims/{claim.pk}/code", {"code": card["code"]})
    assert ok.json()["status"] == "verified"
