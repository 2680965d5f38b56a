from datetime import timedelta

import pytest
from django.utils import timezone

from neighbourly.communities.models import Membership, MembershipStatus
from neighbourly.verification.models import Claim, ClaimDecision, ClaimStatus, Method, Outcome, Postcard
from neighbourly.verification.postcards import postcard_batch_create, postcard_batch_mark_sent
from tests.accounts.factories import TEST_PASSWORD
from tests.conftest import ApiClient
from tests.verification.factories import make_claim

pytestmark = pytest.mark.django_db

WRONG = {"detail": "That code is not valid. Check it against your card, or ask for a new one."}


@pytest.fixture
def claim(community):
    return make_claim(community=community, method=Method.POSTCARD)


def issue(moderator, claim):
    _, cards = postcard_batch_create(
        moderator=moderator.user, community=claim.community, claim_ids=[claim.pk]
    )
    return cards[0].code


def test_postcard_code_verifies_claim_and_membership(
    claim, moderator, api_as, mailoutbox, django_capture_on_commit_callbacks
):
    code = issue(moderator, claim)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(claim.user).post_json(
            f"/verification/claims/{claim.pk}/code", {"code": code.lower()}
        )
    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    membership = Membership.objects.get(user=claim.user, community=claim.community)
    assert membership.status == MembershipStatus.VERIFIED
    decision = ClaimDecision.objects.get(claim=claim, outcome=Outcome.VERIFIED)
    assert (decision.actor_id, decision.method) == (None, Method.POSTCARD)
    assert [m.subject for m in mailoutbox] == [
        f"[Neighbourly] You are a verified resident of {claim.community.name}"
    ]
    from neighbourly.notifications.models import Notification

    assert list(Notification.objects.filter(recipient=claim.user).values_list("kind", flat=True)) == [
        "verification"
    ]


def test_replayed_code_is_refused(claim, moderator, api_as):
    code = issue(moderator, claim)
    client = api_as(claim.user)
    assert client.post_json(f"/verification/claims/{claim.pk}/code", {"code": code}).status_code == 200
    response = client.post_json(f"/verification/claims/{claim.pk}/code", {"code": code})
    assert response.status_code == 400
    assert response.json() == {"detail": "This claim is closed."}


def test_code_for_another_claim_is_refused_like_any_wrong_code(community, claim, moderator, api_as):
    other = make_claim(community=community, method=Method.POSTCARD)
    issue(moderator, claim)
    other_code = issue(moderator, other)
    response = api_as(claim.user).post_json(f"/verification/claims/{claim.pk}/code", {"code": other_code})
    assert (response.status_code, response.json()) == (400, WRONG)
    claim.refresh_from_db()
    assert (claim.status, claim.failed_code_attempts) == (ClaimStatus.PENDING, 1)


def test_expired_code_is_refused_with_the_same_answer(claim, moderator, api_as):
    code = issue(moderator, claim)
    Postcard.objects.filter(claim=claim).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api_as(claim.user).post_json(f"/verification/claims/{claim.pk}/code", {"code": code})
    assert (response.status_code, response.json()) == (400, WRONG)


def test_no_code_issued_gives_the_same_answer(claim, api_as):
    response = api_as(claim.user).post_json(f"/verification/claims/{claim.pk}/code", {"code": "ABCD-EFGH"})
    assert (response.status_code, response.json()) == (400, WRONG)


def test_reissued_code_kills_the_old_one(claim, moderator, api_as):
    old = issue(moderator, claim)
    new = issue(moderator, claim)
    client = api_as(claim.user)
    assert client.post_json(f"/verification/claims/{claim.pk}/code", {"code": old}).json() == WRONG
    assert (
        client.post_json(f"/verification/claims/{claim.pk}/code", {"code": new}).json()["status"]
        == "verified"
    )
    assert Postcard.objects.filter(claim=claim, revoked_at__isnull=False).count() == 1


def test_brute_force_across_fresh_sessions_and_logins_locks_the_claim(claim, moderator):
    code = issue(moderator, claim)
    for attempt in range(5):
        client = ApiClient()  # a fresh session every time, logging in anew
        assert (
            client.post_json(
                "/auth/login", {"email": claim.user.email, "password": TEST_PASSWORD}
            ).status_code
            == 200
        )
        response = client.post_json(f"/verification/claims/{claim.pk}/code", {"code": f"WRNG{attempt}AAA"})
        assert response.status_code == (400 if attempt < 4 else 429)
    claim.refresh_from_db()
    assert claim.failed_code_attempts == 5
    assert claim.code_locked_until > timezone.now() + timedelta(minutes=14)
    client = ApiClient()
    client.force_login(claim.user)
    response = client.post_json(f"/verification/claims/{claim.pk}/code", {"code": code})
    assert response.status_code == 429  # even the right code waits out the lock
    claim.refresh_from_db()
    assert (claim.status, claim.failed_code_attempts) == (ClaimStatus.PENDING, 5)
    assert ClaimDecision.objects.filter(claim=claim, outcome=Outcome.LOCKED).count() == 1


def test_lock_grows_after_it_expires(claim, moderator, api_as):
    issue(moderator, claim)
    client = api_as(claim.user)
    for _ in range(5):
        client.post_json(f"/verification/claims/{claim.pk}/code", {"code": "WRONGAAA"})
    Claim.objects.filter(pk=claim.pk).update(code_locked_until=timezone.now() - timedelta(seconds=1))
    for _ in range(5):
        client.post_json(f"/verification/claims/{claim.pk}/code", {"code": "WRONGAAA"})
    claim.refresh_from_db()
    assert claim.failed_code_attempts == 10
    assert claim.code_locked_until > timezone.now() + timedelta(minutes=59)


def test_reissuing_does_not_reset_the_wrong_try_counter(claim, moderator, api_as):
    issue(moderator, claim)
    client = api_as(claim.user)
    for _ in range(3):
        client.post_json(f"/verification/claims/{claim.pk}/code", {"code": "WRONGAAA"})
    issue(moderator, claim)
    claim.refresh_from_db()
    assert claim.failed_code_attempts == 3


def test_someone_elses_claim_is_not_found(claim, moderator, member, api_as):
    code = issue(moderator, claim)
    response = api_as(member.user).post_json(f"/verification/claims/{claim.pk}/code", {"code": code})
    assert response.status_code == 404
    claim.refresh_from_db()
    assert (claim.status, claim.failed_code_attempts) == (ClaimStatus.PENDING, 0)


def test_code_is_stored_only_as_a_hash(claim, moderator):
    code = issue(moderator, claim)
    postcard = Postcard.objects.get(claim=claim)
    assert code.replace("-", "") not in postcard.code_hash
    assert len(postcard.code_hash) == 64


def test_batch_covers_only_pending_postcard_claims_without_a_live_code(community, moderator):
    first = make_claim(community=community, method=Method.POSTCARD)
    make_claim(community=community, method=Method.DOCUMENT)
    batch, cards = postcard_batch_create(moderator=moderator.user, community=community)
    assert [c.claim_id for c in cards] == [first.pk]
    second = make_claim(community=community, method=Method.POSTCARD)
    _, cards = postcard_batch_create(moderator=moderator.user, community=community)
    assert [c.claim_id for c in cards] == [second.pk]
    postcard_batch_mark_sent(moderator=moderator.user, community=community, batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.sent_at is not None and batch.sent_by_id == moderator.user_id


def test_claim_whose_code_expired_gets_a_new_card_in_the_next_batch(claim, moderator):
    issue(moderator, claim)
    issue(moderator, claim)  # the first is revoked (still unexpired), the second expires below
    Postcard.objects.filter(claim=claim, revoked_at__isnull=True).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    _, cards = postcard_batch_create(moderator=moderator.user, community=claim.community)
    assert [c.claim_id for c in cards] == [claim.pk]


def test_moderator_never_prints_their_own_card(community):
    from types import SimpleNamespace

    from neighbourly.communities.services import membership_grant_role
    from neighbourly.core.errors import ApplicationError

    own = make_claim(community=community, method=Method.POSTCARD)  # then appointed while it waits
    moderator = SimpleNamespace(user=own.user)
    membership_grant_role(user=own.user, community=community, role="moderator")
    neighbour = make_claim(community=community, method=Method.POSTCARD)
    _, cards = postcard_batch_create(moderator=moderator.user, community=community)
    assert [c.claim_id for c in cards] == [neighbour.pk]
    with pytest.raises(ApplicationError):
        postcard_batch_create(moderator=moderator.user, community=community, claim_ids=[own.pk])
    assert Postcard.objects.filter(claim=own).exists() is False
