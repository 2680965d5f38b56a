import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from neighbourly.communities.models import Membership, MembershipStatus, Role
from neighbourly.verification.models import ClaimStatus, Method, RegisterEntry
from tests.accounts.factories import UserFactory
from tests.communities.factories import AddressFactory, MembershipFactory
from tests.verification.factories import make_claim

pytestmark = pytest.mark.django_db


def post_register(api_as, user, community, text: str):
    return api_as(user).post(
        f"/api/v1/communities/{community.slug}/moderation/register",
        {"file": SimpleUploadedFile("register.csv", text.encode(), "text/csv")},
    )


def test_upload_verifies_a_waiting_matching_claim(community, moderator, api_as):
    claim = make_claim(community=community, method=Method.REGISTER, number="4", street="Elm Street", unit="2")
    text = (
        f"NUMBER,STREET,UNIT,NAME,EMAIL\n4,Elm St,Flat 2,Jo,{claim.user.email.upper()}\n5,Elm Street,,Al,\n"
    )
    response = post_register(api_as, moderator.user, community, text)
    assert response.status_code == 201
    assert {k: response.json()[k] for k in ("rows", "skipped", "matched")} == {
        "rows": 1,
        "skipped": 1,
        "matched": 1,
    }
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED


def test_later_matching_claim_verifies_at_once(community, moderator, api_as):
    user = UserFactory()
    post_register(api_as, moderator.user, community, f'ADDRESS,NAME,EMAIL\n"9 Oak Rd",Jo,{user.email}\n')
    claim = make_claim(community=community, method=Method.POSTCARD, user=user, number="9", street="Oak Road")
    assert claim.status == ClaimStatus.VERIFIED
    assert Membership.objects.get(user=user, community=community).status == MembershipStatus.VERIFIED


def test_someone_else_at_a_listed_address_is_not_verified(community, moderator, api_as):
    AddressFactory(community=community, number="9", street="Oak Road")
    post_register(api_as, moderator.user, community, "ADDRESS,NAME,EMAIL\n9 Oak Road,Jo,jo@example.org\n")
    claim = make_claim(
        community=community,
        method=Method.REGISTER,
        address=AddressFactory(community=community, number="9", street="Oak Road", unit="1"),
    )
    assert claim.status == ClaimStatus.PENDING


def test_property_manager_may_upload_residents_may_not(community, api_as):
    manager = MembershipFactory(community=community, verified=True, role=Role.PROPERTY_MANAGER).user
    resident = MembershipFactory(community=community, verified=True).user
    text = "ADDRESS,NAME,EMAIL\n9 Oak Road,Jo,jo@example.org\n"
    assert post_register(api_as, resident, community, text).status_code == 404
    assert RegisterEntry.objects.exists() is False
    assert post_register(api_as, manager, community, text).status_code == 201


def test_other_communitys_moderator_gets_404(community, other_community, api_as):
    outsider = MembershipFactory(community=other_community, moderator=True).user
    assert post_register(api_as, outsider, community, "ADDRESS,NAME,EMAIL\n").status_code == 404


def test_csv_without_the_columns_is_refused(community, moderator, api_as):
    response = post_register(api_as, moderator.user, community, "who,where\nJo,here\n")
    assert response.status_code == 400
    assert "EMAIL" in response.json()["detail"]


def test_new_upload_replaces_the_old_register(community, moderator, api_as):
    post_register(api_as, moderator.user, community, "ADDRESS,NAME,EMAIL\n9 Oak Road,Jo,jo@example.org\n")
    post_register(api_as, moderator.user, community, "ADDRESS,NAME,EMAIL\n10 Oak Road,Al,al@example.org\n")
    assert list(RegisterEntry.objects.values_list("email", flat=True)) == ["al@example.org"]
