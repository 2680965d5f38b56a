import pytest

from neighbourly.accounts.models import User
from tests.accounts.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signup_page_creates_account_and_goes_to_find_address(client):
    response = client.post("/signup/", {"display_name": "Sam", "email": "sam@example.org",
                                        "password": "a-long-secret-phrase"})
    assert (response.status_code, response["Location"]) == (302, "/find-address/")
    assert User.objects.get().profile.display_name == "Sam"


def test_signup_page_shows_errors_and_keeps_input(client):
    UserFactory(email="taken@example.org")
    response = client.post("/signup/", {"display_name": "Sam", "email": "taken@example.org",
                                        "password": "a-long-secret-phrase"})
    assert response.status_code == 400
    assert b"already exists" in response.content and b'value="Sam"' in response.content
    assert User.objects.count() == 1


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
