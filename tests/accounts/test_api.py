import pytest
from django.test import Client

from neighbourly.accounts.models import ApiToken, User
from tests.accounts.factories import TEST_PASSWORD, UserFactory
from tests.communities.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "New.Person@Example.org", "password": "a-long-secret-phrase", "display_name": "New Person"}


def test_signup_creates_account_and_logs_in(api):
    response = api.post_json("/auth/signup", SIGNUP)
    assert response.status_code == 201
    body = response.json()
    assert (body["email"], body["display_name"], body["memberships"]) == ("new.person@example.org", "New Person", [])
    assert api.get_json("/me").json()["email"] == "new.person@example.org"
    assert User.objects.get().password.startswith("md5$")  # the test hasher; Argon2 in settings.py


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({**SIGNUP, "password": "password123"}, 400),  # common
        ({**SIGNUP, "password": "short"}, 400),
        ({**SIGNUP, "email": "not-an-email"}, 400),
        ({**SIGNUP, "display_name": "   "}, 400),
        ({**SIGNUP, "display_name": "x" * 61}, 422),
        ({**SIGNUP, "email": "a" * 300 + "@example.org"}, 422),
        ({**SIGNUP, "password": 12345678901}, 422),
        ({"email": "x@example.org"}, 422),
        ([1, 2], 422),
    ],
)
def test_signup_bad_input_is_refused_and_creates_nothing(api, payload, status):
    response = api.post_json("/auth/signup", payload)
    assert response.status_code == status
    assert "detail" in response.json()
    assert User.objects.exists() is False


def test_signup_malformed_json_is_400(api):
    response = api.post("/api/v1/auth/signup", "{bad", content_type="application/json")
    assert response.status_code == 400
    assert User.objects.exists() is False


def test_signup_duplicate_email_any_case_is_409(api):
    UserFactory(email="taken@example.org")
    response = api.post_json("/auth/signup", {**SIGNUP, "email": "TAKEN@example.org"})
    assert response.status_code == 409
    assert User.objects.count() == 1


def test_signup_ignores_mass_assigned_fields(api):
    response = api.post_json("/auth/signup", {**SIGNUP, "is_staff": True, "is_superuser": True, "role": "moderator"})
    assert response.status_code == 201
    user = User.objects.get()
    assert (user.is_staff, user.is_superuser, user.memberships.count()) == (False, False, 0)


def test_login_and_logout(api):
    user = UserFactory(email="me@example.org")
    assert api.post_json("/auth/login", {"email": "ME@example.org", "password": "wrong-password"}).status_code == 401
    response = api.post_json("/auth/login", {"email": "me@example.org", "password": TEST_PASSWORD})
    assert (response.status_code, response.json()["id"]) == (200, user.id)
    assert api.post_json("/auth/logout").status_code == 204
    assert api.get_json("/me").status_code == 401


def test_login_is_throttled_per_account_across_rotating_addresses(api, settings):
    victim = UserFactory(email="victim@example.org")
    UserFactory(email="bystander@example.org")
    statuses = [
        api.post_json("/auth/login", {"email": victim.email, "password": f"guess-{i}"},
                      REMOTE_ADDR=f"10.0.0.{i + 1}").status_code
        for i in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [401] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    locked = api.post_json("/auth/login", {"email": victim.email, "password": TEST_PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert locked.status_code == 429
    assert locked.json() == {"detail": "Too many failed attempts. Try again in a few minutes."}
    other = api.post_json("/auth/login", {"email": "bystander@example.org", "password": TEST_PASSWORD},
                          REMOTE_ADDR="10.0.0.1")
    assert other.status_code == 200


def test_me_shows_memberships_with_street_but_no_house_number(api_as):
    membership = MembershipFactory(verified=True, address__number="14", address__street="Elm Street")
    body = api_as(membership.user).get_json("/me").json()
    assert body["memberships"] == [{
        "community": membership.community.slug, "community_name": membership.community.name,
        "role": "resident", "status": "verified", "street": "Elm Street",
    }]
    assert "14" not in str(body["memberships"])


def test_patch_me_updates_profile_and_refuses_bad_values(api_as):
    user = UserFactory()
    client = api_as(user)
    response = client.patch_json("/me", {"display_name": "Sam", "bio": "Gardener", "age_band": "65-79"})
    assert (response.status_code, response.json()["age_band"]) == (200, "65-79")
    assert client.patch_json("/me", {"age_band": "ancient"}).status_code == 422
    assert client.patch_json("/me", {"display_name": ""}).status_code == 400
    assert client.patch_json("/me", {"clear_age_band": True}).json()["age_band"] is None
    user.profile.refresh_from_db()
    assert (user.profile.display_name, user.profile.bio, user.profile.age_band) == ("Sam", "Gardener", "")


def test_personal_token_authenticates_and_is_stored_hashed(api_as):
    user = UserFactory()
    response = api_as(user).post_json("/me/tokens", {"name": "script"})
    assert response.status_code == 201
    raw = response.json()["token"]
    assert raw.startswith("nbly_")
    token = ApiToken.objects.get()
    assert token.token_hash == ApiToken.hash(raw) and raw not in (token.token_hash, token.hint)
    anonymous = Client()
    assert anonymous.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["id"] == user.id
    assert anonymous.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer nbly_wrong").status_code == 401
    assert anonymous.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer " + "x" * 5000).status_code == 401


def test_token_writes_need_no_csrf_but_cookie_writes_do():
    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.patch("/api/v1/me", '{"bio": "x"}', content_type="application/json")
    assert response.status_code == 403
    browser.get("/api/v1/auth/csrf")
    token = browser.cookies["csrftoken"].value
    response = browser.patch("/api/v1/me", '{"bio": "x"}', content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
