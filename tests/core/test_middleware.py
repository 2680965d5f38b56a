import pytest
from django.test import Client, RequestFactory

from neighbourly import views as core_views
from neighbourly.accounts.models import User
from neighbourly.communities import api as communities_api
from neighbourly.core.errors import ApplicationError, NotFound, PermissionDenied
from neighbourly.core.middleware import PageErrorMiddleware

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


# --- PageErrorMiddleware: a view's domain NotFound / PermissionDenied is the site's 404 / 403 page


def _raises(exc):
    def fn(*args, **kwargs):
        raise exc

    return fn


@pytest.fixture
def loose_client():
    """A client that gets the error response instead of the exception re-raised."""
    return Client(raise_request_exception=False)


def test_page_view_raising_not_found_is_the_friendly_404(client, monkeypatch):
    monkeypatch.setattr(core_views, "community_list", _raises(NotFound()))
    page = client.get("/")
    assert page.status_code == 404
    assert b"find that page" in page.content and b"site-header" in page.content


def test_page_view_raising_permission_denied_is_the_friendly_403(client, monkeypatch):
    monkeypatch.setattr(core_views, "community_list", _raises(PermissionDenied("Only moderators.")))
    page = client.get("/")
    assert page.status_code == 403
    assert b"open this page" in page.content and b"site-header" in page.content


def test_other_application_errors_are_left_to_the_view(loose_client, monkeypatch):
    monkeypatch.setattr(core_views, "community_list", _raises(ApplicationError("Bad.")))
    assert loose_client.get("/").status_code == 500  # unhandled, as before: no silent mapping


def test_a_real_page_for_a_missing_object_is_the_404_page(client, member):
    client.force_login(member.user)
    page = client.get("/posts/999999/")
    assert page.status_code == 404 and b"find that page" in page.content


def test_api_keeps_its_own_json_for_domain_errors(api, monkeypatch):
    monkeypatch.setattr(communities_api.selectors, "community_list", _raises(NotFound()))
    missing = api.get("/api/v1/communities")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not found."})
    monkeypatch.setattr(communities_api.selectors, "community_list", _raises(PermissionDenied("Only moderators.")))
    denied = api.get("/api/v1/communities")
    assert (denied.status_code, denied.json()) == (403, {"detail": "Only moderators."})


@pytest.mark.parametrize("exc", [NotFound(), PermissionDenied("No.")], ids=["not-found", "permission-denied"])
def test_middleware_leaves_api_paths_alone(exc):
    middleware = PageErrorMiddleware(lambda request: None)
    assert middleware.process_exception(RequestFactory().get("/api/v1/communities"), exc) is None


def test_middleware_ignores_other_exceptions():
    middleware = PageErrorMiddleware(lambda request: None)
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, ApplicationError("Bad.")) is None
    assert middleware.process_exception(request, RuntimeError("boom")) is None
