import pytest

from neighbourly.accounts.models import User

pytestmark = pytest.mark.django_db


def test_oversized_api_body_is_json_413_and_changes_nothing(api):
    body = '{"email": "' + "a" * (3 * 1024 * 1024) + '", "password": "x", "display_name": "y"}'
    response = api.post("/api/v1/auth/signup", body, content_type="application/json")
    assert (response.status_code, response.json()) == (413, {"detail": "The request is too large."})
    assert User.objects.exists() is False


def test_oversized_page_form_is_413(client):
    response = client.post("/signup/", {"display_name": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_content_length_over_the_cap_is_refused_before_reading(api, settings):
    settings.NEIGHBOURLY_MAX_REQUEST_BYTES = 1000
    response = api.post("/api/v1/auth/login", '{"email": "' + "a" * 2000 + '"}', content_type="application/json")
    assert response.status_code == 413


def test_api_docs_load_swagger_from_our_static_files_not_a_cdn(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert b"/static/ninja/swagger-ui-bundle.js" in page.content
    assert b"cdn" not in page.content.lower()


def test_nul_character_in_api_json_is_400_and_changes_nothing(api):
    body = '{"email": "a@example.org", "password": "long-enough-pw", "display_name": "Ann\\u0000"}'
    response = api.post("/api/v1/auth/signup", body, content_type="application/json")
    assert (response.status_code, response.json()) == (400, {"detail": "Text must not contain NUL (\\u0000) characters."})
    assert User.objects.exists() is False


def test_nul_character_in_api_query_is_400(api):
    response = api.get("/api/v1/addresses/search", {"q": "Elm\x00"})
    assert response.status_code == 400


def test_escaped_backslash_u0000_is_ordinary_text(api):
    body = '{"email": "a@example.org", "password": "long-enough-pw", "display_name": "\\\\u0000 Ann"}'
    response = api.post("/api/v1/auth/signup", body, content_type="application/json")
    assert response.status_code == 202
    assert User.objects.get().profile.display_name == "\\u0000 Ann"
