"""H1: the property register trusts an e-mail address only once its owner has confirmed it."""

import re

import pytest
from django.core import mail

from neighbourly.verification.models import ClaimDecision, ClaimStatus, Method
from tests.accounts.factories import UserFactory
from tests.communities.factories import AddressFactory
from tests.verification.factories import make_claim
from tests.verification.methods.test_register import post_register

pytestmark = pytest.mark.django_db

DANA = "dana@example.org"


@pytest.fixture
def dana_flat(community, moderator, api_as):
    """Flat 1, 2 Elm Street, which the property manager's register lists for dana@example.org."""
    flat = AddressFactory(community=community, number="2", street="Elm Street", unit="1")
    response = post_register(api_as, moderator.user, community, f"NUMBER,STREET,UNIT,NAME,EMAIL\n2,Elm Street,1,Dana,{DANA}\n")
    assert response.status_code == 201
    return flat


def test_signing_up_with_someone_elses_listed_address_does_not_verify_a_claim(api, dana_flat, django_capture_on_commit_callbacks):
    """The reproduced attack: sign up as dana, claim her flat 'by postcard', come back verified."""
    with django_capture_on_commit_callbacks(execute=True):
        signup = api.post_json("/auth/signup", {"email": DANA, "password": "a-long-secret-phrase",
                                                "display_name": "Not Dana"})
    assert signup.status_code == 202
    assert api.post_json("/auth/login", {"email": DANA, "password": "a-long-secret-phrase"}).status_code == 200
    response = api.post_json("/verification/claims", {"address_id": dana_flat.id, "method": "postcard"})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == ClaimStatus.PENDING
    assert api.get_json(f"/communities/{dana_flat.community.slug}/feed").status_code == 404


def test_register_method_claim_with_unconfirmed_email_waits_then_verifies_on_confirmation(
    api, dana_flat, django_capture_on_commit_callbacks
):
    user = UserFactory(email=DANA, email_confirmed_at=None)
    claim = make_claim(community=dana_flat.community, method=Method.REGISTER, user=user, address=dana_flat)
    assert claim.status == ClaimStatus.PENDING

    from neighbourly.accounts.tokens import email_confirm_token_make

    response = api.post_json("/auth/confirm-email", {"token": email_confirm_token_make(user=user)})
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED
    assert ClaimDecision.objects.filter(claim=claim, outcome="verified", actor=None).exists()


def test_register_upload_does_not_verify_an_unconfirmed_claimant(community, moderator, api_as):
    user = UserFactory(email_confirmed_at=None)
    claim = make_claim(community=community, method=Method.REGISTER, user=user, number="4", street="Elm Street")
    response = post_register(api_as, moderator.user, community, f"ADDRESS,NAME,EMAIL\n4 Elm Street,Jo,{user.email}\n")
    assert response.json()["matched"] == 0
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING


def test_moderator_queue_says_an_unconfirmed_listed_email_proves_nothing(community, moderator, api_as, dana_flat):
    user = UserFactory(email=DANA, email_confirmed_at=None)
    make_claim(community=community, method=Method.DOCUMENT, user=user, address=dana_flat)
    items = api_as(moderator.user).get_json(f"/communities/{community.slug}/moderation/claims").json()["items"]
    register = items[0]["evidence"]["register"]
    assert register == {"listed": True, "email_confirmed": False}


def test_password_reset_confirms_the_address_and_verifies_listed_claims(api, dana_flat, django_capture_on_commit_callbacks):
    user = UserFactory(email=DANA, email_confirmed_at=None)
    claim = make_claim(community=dana_flat.community, method=Method.POSTCARD, user=user, address=dana_flat)
    assert claim.status == ClaimStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        api.post_json("/auth/password-reset", {"email": DANA})
    uid, token = re.search(r"/password-reset/([^/]+)/([^/]+)/", mail.outbox[-1].body).groups()
    response = api.post_json("/auth/password-reset/confirm", {"uid": uid, "token": token,
                                                               "password": "another-long-phrase"})
    assert response.status_code == 204
    claim.refresh_from_db()
    user.refresh_from_db()
    assert (user.email_confirmed, claim.status) == (True, ClaimStatus.VERIFIED)


def test_pending_page_tells_an_unconfirmed_register_claimant_to_confirm(client, dana_flat):
    user = UserFactory(email=DANA, email_confirmed_at=None)
    make_claim(community=dana_flat.community, method=Method.REGISTER, user=user, address=dana_flat)
    client.force_login(user)
    page = client.get(f"/communities/{dana_flat.community.slug}/")
    assert b"You have not confirmed your e-mail address yet" in page.content
    assert b'action="/confirm-email-again/"' in page.content
