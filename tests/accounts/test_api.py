import json
import re

import pytest
from django.core import mail
from django.test import Client

from neighbourly.accounts.models import ApiToken, User
from tests.accounts.factories import TEST_PASSWORD, UserFactory
from tests.communities.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "New.Person@Example.org", "password": "a-long-secret-phrase", "display_name": "New Person"}


def test_signup_creates_account_mails_a_link_and_confirming_logs_in(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post_json("/auth/signup", SIGNUP)
    assert (response.status_code, response.json()) == (
        202, {"detail": "Check your inbox: we sent a link to new.person@example.org."})
    assert api.get_json("/me").status_code == 401  # nobody is logged in until the link is opened
    user = User.objects.get()
    assert (user.email, user.email_confirmed) == ("new.person@example.org", False)
    assert user.password.startswith("md5$")  # the test hasher; Argon2 in settings.py
    token = re.search(r"/confirm-email/(\S+)/", mail.outbox[0].body).group(1)
    assert mail.outbox[0].to == ["new.person@example.org"]
    confirmed = api.post_json("/auth/confirm-email", {"token": token})
    assert confirmed.status_code == 200
    assert (confirmed.json()["email_confirmed"], confirmed.json()["memberships"]) == (True, [])
    assert api.get_json("/me").json()["email"] == "new.person@example.org"
    assert api.post_json("/auth/confirm-email", {"token": token}).status_code == 400  # single use


def test_signup_with_a_taken_address_answers_the_same_and_mails_the_owner(api, django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        taken = api.post_json("/auth/signup", {**SIGNUP, "email": "TAKEN@example.org"})
        fresh = api.post_json("/auth/signup", {**SIGNUP, "email": "fresh@example.org"})
    assert taken.status_code == fresh.status_code == 202
    assert taken.json()["detail"].replace("taken", "fresh") == fresh.json()["detail"]
    assert User.objects.filter(email="taken@example.org").count() == 1
    owner_mail = next(m for m in mail.outbox if m.to == ["taken@example.org"])
    assert owner_mail.subject == "[Neighbourly] Someone tried to sign up with your address"
    assert "/password-reset/" in owner_mail.body
    assert api.get_json("/me").status_code == 401


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


def test_signup_ignores_mass_assigned_fields(api):
    response = api.post_json("/auth/signup", {**SIGNUP, "is_staff": True, "is_superuser": True, "role": "moderator",
                                              "email_confirmed_at": "2020-01-01T00:00:00Z"})
    assert response.status_code == 202
    user = User.objects.get()
    assert (user.is_staff, user.is_superuser, user.memberships.count(), user.email_confirmed) == (False, False, 0, False)


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
    assert ApiToken.objects.get().last_used_at is not None  # the auth records the use
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


@pytest.mark.parametrize("path", ["/auth/login", "/auth/signup", "/auth/confirm-email", "/auth/password-reset",
                                  "/auth/password-reset/confirm"])
def test_cross_site_text_plain_form_cannot_reach_session_operations(path):
    """A cross-site <form enctype="text/plain"> posting JSON-looking text: refused, no session."""
    user = UserFactory(email="attacker@example.org")
    browser = Client(enforce_csrf_checks=True)
    body = json.dumps({"email": user.email, "password": TEST_PASSWORD, "display_name": "x", "token": "x",
                       "uid": "x"})
    response = browser.post(f"/api/v1{path}", body, content_type="text/plain")
    assert response.status_code == 415
    assert "sessionid" not in response.cookies
    assert browser.get("/api/v1/me").status_code == 401


def test_login_with_json_but_without_the_csrf_token_is_refused():
    user = UserFactory(email="attacker@example.org")
    browser = Client(enforce_csrf_checks=True)
    body = json.dumps({"email": user.email, "password": TEST_PASSWORD})
    response = browser.post("/api/v1/auth/login", body, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert "sessionid" not in response.cookies


def test_login_with_the_csrf_token_works():
    user = UserFactory(email="me@example.org")
    browser = Client(enforce_csrf_checks=True)
    token = browser.get("/api/v1/auth/csrf").json()["csrf_token"]
    response = browser.post("/api/v1/auth/login", json.dumps({"email": user.email, "password": TEST_PASSWORD}),
                            content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert browser.get("/api/v1/me").json()["id"] == user.id


def test_personal_token_scripts_need_no_csrf_for_their_operations():
    user = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    from neighbourly.accounts.services import api_token_create

    _, raw = api_token_create(user=user, name="script")
    response = browser.post("/api/v1/me/password", json.dumps({"current_password": TEST_PASSWORD,
                                                               "new_password": "a-brand-new-phrase"}),
                            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 204
    assert "sessionid" not in response.cookies


def test_password_reset_answers_the_same_for_unknown_addresses(api, django_capture_on_commit_callbacks):
    UserFactory(email="me@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = api.post_json("/auth/password-reset", {"email": "ME@example.org"})
        unknown = api.post_json("/auth/password-reset", {"email": "nobody@example.org"})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert known.status_code == 202
    assert [m.to for m in mail.outbox] == [["me@example.org"]]


def test_password_reset_confirm_sets_the_password_once_and_lifts_a_lockout(api, settings,
                                                                           django_capture_on_commit_callbacks):
    user = UserFactory(email="me@example.org")
    for i in range(settings.AXES_FAILURE_LIMIT):
        api.post_json("/auth/login", {"email": user.email, "password": f"guess-{i}"})
    assert api.post_json("/auth/login", {"email": user.email, "password": TEST_PASSWORD}).status_code == 429
    with django_capture_on_commit_callbacks(execute=True):
        api.post_json("/auth/password-reset", {"email": user.email})
    uid, token = re.search(r"/password-reset/([^/]+)/([^/]+)/", mail.outbox[0].body).groups()
    weak = api.post_json("/auth/password-reset/confirm", {"uid": uid, "token": token, "password": "password123"})
    assert weak.status_code == 400
    done = api.post_json("/auth/password-reset/confirm", {"uid": uid, "token": token, "password": "a-new-long-phrase"})
    assert done.status_code == 204
    again = api.post_json("/auth/password-reset/confirm", {"uid": uid, "token": token, "password": "yet-another-one"})
    assert again.status_code == 400
    login = api.post_json("/auth/login", {"email": user.email, "password": "a-new-long-phrase"})
    assert login.status_code == 200


@pytest.mark.parametrize("body", [{"uid": "MQ", "token": "nope"}, {"uid": "%%%", "token": "x"},
                                  {"uid": "OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "token": "x"}])
def test_password_reset_confirm_bad_links_are_400(api, body):
    UserFactory()
    response = api.post_json("/auth/password-reset/confirm", {**body, "password": "a-new-long-phrase"})
    assert response.status_code == 400 and "detail" in response.json()


def test_change_password_and_email_through_the_api(api_as, django_capture_on_commit_callbacks):
    user = UserFactory(email="old@example.org")
    client = api_as(user)
    assert client.post_json("/me/password", {"current_password": "wrong-one", "new_password": "a-new-long-phrase"}
                            ).status_code == 403
    assert client.post_json("/me/password", {"current_password": TEST_PASSWORD, "new_password": "a-new-long-phrase"}
                            ).status_code == 204
    assert client.get_json("/me").status_code == 200  # this session survives its own password change
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post_json("/me/email", {"email": "new@example.org", "password": "a-new-long-phrase"})
    assert response.status_code == 202
    assert client.get_json("/me").json()["email"] == "old@example.org"
    token = re.search(r"/confirm-email/(\S+)/", next(m for m in mail.outbox if m.to == ["new@example.org"]).body
                      ).group(1)
    assert client.post_json("/auth/confirm-email", {"token": token}).json()["email"] == "new@example.org"


def test_change_email_to_a_taken_address_answers_the_same_and_changes_nothing(api_as,
                                                                              django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.org")
    user = UserFactory(email="me@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(user).post_json("/me/email", {"email": "taken@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 202
    assert mail.outbox == []
    user.refresh_from_db()
    assert user.email == "me@example.org"
