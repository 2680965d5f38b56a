import re

import pytest
from django.core import mail

from neighbourly.accounts.models import User
from neighbourly.accounts.tokens import email_confirm_token_make, password_reset_token_make
from tests.accounts.factories import TEST_PASSWORD, UserFactory
from tests.communities.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SIGNUP = {"display_name": "Sam", "email": "sam@example.org", "password": "a-long-secret-phrase"}


def test_signup_page_creates_account_says_check_inbox_and_logs_nobody_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/signup/", SIGNUP)
    assert response.status_code == 200
    assert b"Check your inbox" in response.content
    user = User.objects.get()
    assert (user.profile.display_name, user.email_confirmed) == ("Sam", False)
    assert "_auth_user_id" not in client.session
    assert [m.subject for m in mail.outbox] == ["[Neighbourly] Confirm your e-mail address"]


def _page(response) -> bytes:
    """The page without its per-request secrets (CSRF tokens, nonces)."""
    return re.sub(rb'[A-Za-z0-9+/=_-]{40,}', b"", response.content)


def test_signup_page_gives_the_same_page_for_a_taken_address(client, django_capture_on_commit_callbacks):
    fresh = client.post("/signup/", {**SIGNUP, "email": "fresh@example.org"})
    UserFactory(email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post("/signup/", {**SIGNUP, "email": "TAKEN@example.org"})
    assert taken.status_code == fresh.status_code == 200
    assert _page(taken).replace(b"taken@", b"fresh@") == _page(fresh)
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert [m.subject for m in mail.outbox] == ["[Neighbourly] Someone tried to sign up with your address"]


def test_signup_page_shows_errors_and_keeps_input(client):
    response = client.post("/signup/", {**SIGNUP, "password": "password123"})
    assert response.status_code == 400
    assert b"too common" in response.content and b'value="Sam"' in response.content
    assert User.objects.exists() is False


def test_confirm_link_shows_a_button_and_its_post_confirms_and_logs_in(client):
    user = UserFactory(email_confirmed_at=None)
    url = f"/confirm-email/{email_confirm_token_make(user=user)}/"
    page = client.get(url)
    assert page.status_code == 200 and b"Confirm my e-mail address" in page.content
    assert page["Referrer-Policy"] == "strict-origin"  # the path (with the token) goes nowhere
    user.refresh_from_db()
    assert user.email_confirmed is False  # a mail scanner fetching the link changes nothing
    response = client.post(url, follow=True)
    assert response.redirect_chain == [("/home/", 302), ("/find-address/", 302)]
    assert int(client.session["_auth_user_id"]) == user.pk
    user.refresh_from_db()
    assert user.email_confirmed
    again = client.post(url)
    assert again.status_code == 400 and b"used already" in again.content


def test_confirm_link_of_a_member_goes_home(client):
    user = MembershipFactory(user__email_confirmed_at=None).user
    assert client.post(f"/confirm-email/{email_confirm_token_make(user=user)}/")["Location"] == "/home/"


def test_tampered_confirm_link_is_refused(client):
    user = UserFactory(email_confirmed_at=None)
    token = email_confirm_token_make(user=user)
    response = client.post(f"/confirm-email/{token[:-2]}xx/")
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_confirmed is False and "_auth_user_id" not in client.session


def test_login_page_links_to_password_reset(client):
    assert b'href="/password-reset/"' in client.get("/login/").content


def test_password_reset_pages(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="me@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/password-reset/", {"email": "me@example.org"})
        unknown = client.post("/password-reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert _page(known).replace(b"me@example.org", b"X") == _page(unknown).replace(b"nobody@example.org", b"X")
    assert len(mail.outbox) == 1
    path = re.search(r"http://[^/]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(path)
    assert (form.status_code, form["Referrer-Policy"]) == (200, "strict-origin")
    weak = client.post(path, {"password": "password123"})
    assert weak.status_code == 400 and b"too common" in weak.content
    done = client.post(path, {"password": "a-brand-new-phrase"})
    assert done["Location"] == "/login/"
    user.refresh_from_db()
    assert user.check_password("a-brand-new-phrase")
    used = client.get(path)
    assert used.status_code == 400 and b"Send me a new link" in used.content


def test_password_reset_link_of_another_user_id_is_refused(client):
    me, other = UserFactory(), UserFactory()
    _, token = password_reset_token_make(user=me)
    uid, _ = password_reset_token_make(user=other)
    assert client.post(f"/password-reset/{uid}/{token}/", {"password": "a-brand-new-phrase"}).status_code == 400
    other.refresh_from_db()
    assert other.check_password(TEST_PASSWORD)


def test_settings_change_password_needs_the_current_one(client):
    user = UserFactory()
    client.force_login(user)
    wrong = client.post("/account/password/", {"pw-current_password": "guess-guess", "pw-new_password": "a-brand-new-phrase"})
    assert wrong.status_code == 400 and b"not correct" in wrong.content
    ok = client.post("/account/password/", {"pw-current_password": TEST_PASSWORD,
                                           "pw-new_password": "a-brand-new-phrase"})
    assert ok["Location"] == "/account/"
    user.refresh_from_db()
    assert user.check_password("a-brand-new-phrase")
    assert client.get("/account/").status_code == 200  # this session stays logged in


def test_settings_change_email_waits_for_the_new_address(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="old@example.org")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/email/", {"em-email": "new@example.org", "em-password": TEST_PASSWORD})
    assert response["Location"] == "/account/"
    user.refresh_from_db()
    assert user.email == "old@example.org"
    assert sorted(m.to[0] for m in mail.outbox) == ["new@example.org", "old@example.org"]
    link = next(m for m in mail.outbox if m.to == ["new@example.org"]).body
    path = re.search(r"http://[^/]+(/confirm-email/\S+/)", link).group(1)
    client.post(path)
    user.refresh_from_db()
    assert (user.email, user.email_confirmed) == ("new@example.org", True)


def test_settings_shows_unconfirmed_address_and_resends(client, django_capture_on_commit_callbacks):
    user = UserFactory(email_confirmed_at=None)
    client.force_login(user)
    assert b"Not confirmed yet" in client.get("/account/").content
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/confirm-email-again/").status_code == 200
    assert mail.outbox[0].to == [user.email]


def test_login_page_wrong_password_and_safe_next(client):
    UserFactory(email="me@example.org")
    wrong = client.post("/login/", {"email": "me@example.org", "password": "nope-nope-nope"})
    assert wrong.status_code == 401 and b"incorrect" in wrong.content
    ok = client.post("/login/", {"email": "me@example.org", "password": TEST_PASSWORD,
                                 "next": "https://evil.example/"})
    assert ok["Location"] == "/home/"


def test_logout_needs_post(client):
    client.force_login(UserFactory())
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/")["Location"] == "/"
