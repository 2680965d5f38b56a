from datetime import timedelta

import pytest
from django.utils import timezone

from neighbourly.communities.models import Membership, MembershipStatus
from neighbourly.verification.models import ClaimStatus, Method, Vouch
from tests.communities.factories import MembershipFactory
from tests.verification.factories import make_claim, make_voucher

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(community):
    return make_claim(community=community, method=Method.VOUCH, number="12", street="Oak Road")


def vouch(api_as, user, claim, token=None):
    return api_as(user).post_json(
        f"/verification/claims/{claim.pk}/vouch", {"token": token if token is not None else claim.vouch_token}
    )


def test_two_vouches_verify(claim, community, api_as):
    first, second = make_voucher(community=community), make_voucher(community=community)
    assert vouch(api_as, first, claim).status_code == 204
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING
    assert vouch(api_as, second, claim).status_code == 204
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    assert Membership.objects.get(user=claim.user, community=community).status == MembershipStatus.VERIFIED


def test_voucher_sees_display_name_and_street_never_the_number(claim, community, api_as):
    voucher = make_voucher(community=community)
    response = api_as(voucher).get_json(f"/verification/vouch/{claim.vouch_token}")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "claim_id": claim.pk,
        "display_name": claim.user.profile.display_name,
        "street": "Oak Road",
        "community": {"slug": community.slug, "name": community.name},
    }
    assert "12" not in response.content.decode().replace(str(claim.pk), "")


def test_unverified_resident_cannot_vouch(claim, community, api_as):
    pending = MembershipFactory(community=community).user
    assert vouch(api_as, pending, claim).status_code == 404
    assert Vouch.objects.exists() is False


def test_too_new_resident_cannot_vouch(claim, community, api_as):
    newish = make_voucher(community=community, days=13)
    response = vouch(api_as, newish, claim)
    assert response.status_code == 403
    assert response.json() == {"detail": "Only residents verified for at least 14 days can vouch."}
    assert Vouch.objects.exists() is False


def test_resident_of_another_community_cannot_vouch(claim, other_community, api_as):
    outsider = make_voucher(community=other_community)
    assert vouch(api_as, outsider, claim).status_code == 404
    assert api_as(outsider).get_json(f"/verification/vouch/{claim.vouch_token}").status_code == 404
    assert Vouch.objects.exists() is False


def test_self_vouching_is_refused(claim, community, api_as):
    # Even a claimant who is verified elsewhere in the community cannot vouch for their own claim.
    assert vouch(api_as, claim.user, claim).status_code == 403
    assert Vouch.objects.exists() is False


def test_vouch_needs_the_link_token(claim, community, api_as):
    voucher = make_voucher(community=community)
    assert vouch(api_as, voucher, claim, token="guessed").status_code == 404
    assert Vouch.objects.exists() is False


def test_vouching_twice_for_one_claim_is_refused(claim, community, api_as):
    voucher = make_voucher(community=community)
    assert vouch(api_as, voucher, claim).status_code == 204
    assert vouch(api_as, voucher, claim).status_code == 409
    assert Vouch.objects.count() == 1


def test_over_quota_voucher_is_refused(community, api_as):
    voucher = make_voucher(community=community)
    claims = [make_claim(community=community, method=Method.VOUCH) for _ in range(4)]
    assert [vouch(api_as, voucher, c).status_code for c in claims] == [204, 204, 204, 429]
    assert Vouch.objects.filter(voucher=voucher).count() == 3


def test_quota_frees_up_after_thirty_days(community, api_as):
    voucher = make_voucher(community=community)
    claims = [make_claim(community=community, method=Method.VOUCH) for _ in range(4)]
    for c in claims[:3]:
        vouch(api_as, voucher, c)
    Vouch.objects.update(created_at=timezone.now() - timedelta(days=31))
    assert vouch(api_as, voucher, claims[3]).status_code == 204


def test_vouch_for_a_claim_of_another_method_is_refused(community, api_as):
    claim = make_claim(community=community, method=Method.POSTCARD)
    voucher = make_voucher(community=community)
    assert vouch(api_as, voucher, claim).status_code == 400
    assert Vouch.objects.exists() is False
