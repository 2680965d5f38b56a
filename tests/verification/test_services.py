import pytest

from neighbourly.communities.models import Membership, MembershipStatus
from neighbourly.communities.selectors import address_search
from neighbourly.core.errors import ApplicationError, Conflict
from neighbourly.verification import services
from neighbourly.verification.models import Claim, ClaimDecision, ClaimStatus, Method, Outcome
from tests.accounts.factories import UserFactory
from tests.communities.factories import AddressFactory, CommunityFactory, MembershipFactory
from tests.verification.factories import make_claim

pytestmark = pytest.mark.django_db


def test_claim_starts_a_pending_membership_and_is_recorded(community):
    claim = make_claim(community=community)
    membership = Membership.objects.get(user=claim.user)
    assert (membership.community_id, membership.address_id, membership.status) == (
        community.id,
        claim.address_id,
        MembershipStatus.PENDING,
    )
    decision = ClaimDecision.objects.get(claim=claim)
    assert (decision.actor_id, decision.outcome, decision.evidence) == (
        claim.user_id,
        Outcome.SUBMITTED,
        "method postcard",
    )


def test_one_open_claim_per_user_per_address(community):
    claim = make_claim(community=community)
    with pytest.raises(Conflict):
        services.claim_create(user=claim.user, method=Method.DOCUMENT, address=claim.address)
    assert Claim.objects.count() == 1
    services.claim_withdraw(user=claim.user, claim_id=claim.pk)
    again = services.claim_create(user=claim.user, method=Method.DOCUMENT, address=claim.address)
    assert again.status == ClaimStatus.PENDING


def test_household_cap_with_the_address_written_many_ways_sends_extra_claim_to_review():
    community = CommunityFactory(household_cap=2)
    AddressFactory(community=community, number="14", street="Elm Street", unit="2")
    typed = ["Flat 2, 14 Elm St", "14 elm street flat 2", "2/14 Elm Street", "apt 2 14 ELM ST."]
    found = {a.pk for text in typed for a in address_search(query=text)}
    assert len(found) == 1
    address = AddressFactory._meta.model.objects.get(pk=found.pop())
    MembershipFactory(community=community, address=address, verified=True)
    MembershipFactory(community=community, address=address, verified=True)
    claim = services.claim_create(
        user=UserFactory(), method=Method.POSTCARD, address=address_search(query=typed[2])[0]
    )
    assert (claim.status, claim.review_reason) == (ClaimStatus.REVIEW, services.CAP_REASON)


def test_method_cannot_verify_past_the_cap_but_a_moderator_can(api_as):
    community = CommunityFactory(household_cap=1, geolocation_suffices=True)
    address = AddressFactory(community=community)
    claim = services.claim_create(user=UserFactory(), method=Method.GEOLOCATION, address=address)
    MembershipFactory(community=community, address=address, verified=True)
    api_as(claim.user).post_json(
        f"/verification/claims/{claim.pk}/geolocation",
        {"lat": address.lat, "lon": address.lon, "accuracy_m": 5},
    )
    claim.refresh_from_db()
    assert (claim.status, claim.review_reason) == (ClaimStatus.REVIEW, services.CAP_REASON)
    moderator = MembershipFactory(community=community, moderator=True)
    services.claim_decide(
        moderator=moderator.user, claim_id=claim.pk, approve=True, reason="Two flats share it"
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED


def test_typed_address_where_there_is_no_register_goes_to_review_and_counts_by_key():
    community = CommunityFactory(household_cap=1)
    first = services.claim_create(
        user=UserFactory(), method=Method.DOCUMENT, community=community, typed_address="Flat 2, 14 Elm St"
    )
    assert (first.status, first.review_reason, first.address_key) == (
        ClaimStatus.REVIEW,
        services.TYPED_REASON,
        "14|elm street|2",
    )
    moderator = MembershipFactory(community=community, moderator=True, address=None)
    services.claim_decide(moderator=moderator.user, claim_id=first.pk, approve=True)
    assert Membership.objects.get(user=first.user).status == MembershipStatus.VERIFIED
    assert services.household_count(community_id=community.id, key="14|elm street|2", address_id=None) == 1


def test_typed_address_is_refused_where_a_register_exists(community):
    AddressFactory(community=community)
    with pytest.raises(ApplicationError, match="register"):
        services.claim_create(
            user=UserFactory(), method=Method.POSTCARD, community=community, typed_address="14 Elm Street"
        )
    assert Claim.objects.exists() is False


def test_disabled_method_is_refused():
    community = CommunityFactory(verification_methods=["postcard"])
    with pytest.raises(ApplicationError, match="does not use"):
        services.claim_create(
            user=UserFactory(), method=Method.VOUCH, address=AddressFactory(community=community)
        )
    assert Claim.objects.exists() is False


def test_verified_member_cannot_claim_again_until_revoked(community, moderator):
    claim = make_claim(community=community)
    services.claim_decide(moderator=moderator.user, claim_id=claim.pk, approve=True)
    with pytest.raises(Conflict):
        make_claim(community=community, user=claim.user)
    services.claim_revoke(actor=claim.user, claim_id=claim.pk)
    membership = Membership.objects.get(user=claim.user, community=community)
    assert (membership.status, membership.verified_at) == (MembershipStatus.PENDING, None)
    moved = make_claim(community=community, user=claim.user, number="99")
    membership.refresh_from_db()
    assert (moved.status, membership.address_id) == (ClaimStatus.PENDING, moved.address_id)
    claim.refresh_from_db()
    assert (claim.status, claim.decision_reason) == (ClaimStatus.REVOKED, "moved away")


def test_moderator_revokes_with_a_reason_and_member_is_told(
    community, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    claim = make_claim(community=community)
    services.claim_decide(moderator=moderator.user, claim_id=claim.pk, approve=True)
    with pytest.raises(ApplicationError):
        services.claim_revoke(actor=moderator.user, claim_id=claim.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_revoke(actor=moderator.user, claim_id=claim.pk, reason="Sold the house")
    assert mailoutbox[-1].subject == f"[Neighbourly] Your verification in {community.name} has ended"
    assert "Sold the house" in mailoutbox[-1].body


def test_rejection_needs_a_reason_the_member_sees(
    community, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    claim = make_claim(community=community)
    with pytest.raises(ApplicationError, match="reason"):
        services.claim_decide(moderator=moderator.user, claim_id=claim.pk, approve=False)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_decide(
            moderator=moderator.user, claim_id=claim.pk, approve=False, reason="No such flat"
        )
    claim.refresh_from_db()
    assert (claim.status, claim.decision_reason) == (ClaimStatus.REJECTED, "No such flat")
    assert "Reason: No such flat" in mailoutbox[0].body
    decision = ClaimDecision.objects.filter(claim=claim).first()
    assert (decision.actor_id, decision.outcome, decision.reason) == (
        moderator.user_id,
        Outcome.REJECTED,
        "No such flat",
    )


def test_verifying_one_claim_withdraws_the_others_in_that_community(community, moderator):
    first = make_claim(community=community)
    second = make_claim(community=community, user=first.user)
    services.claim_decide(moderator=moderator.user, claim_id=second.pk, approve=True)
    first.refresh_from_db()
    assert first.status == ClaimStatus.WITHDRAWN
    assert Membership.objects.get(user=first.user).address_id == second.address_id


def test_moderator_cannot_decide_own_claim(community):
    moderator = MembershipFactory(community=community, moderator=True)
    other_mod = MembershipFactory(community=community, moderator=True)
    claim = Claim.objects.create(user=moderator.user, community=community, address_key="k", method="document")
    with pytest.raises(ApplicationError):
        services.claim_decide(moderator=moderator.user, claim_id=claim.pk, approve=True)
    services.claim_decide(moderator=other_mod.user, claim_id=claim.pk, approve=True)
