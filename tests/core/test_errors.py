"""Faults never show a technical page: friendly HTML pages, JSON `{"detail": ...}` under /api/v1/,
a foreign Host header is a plain 400, and error reports never show a password inside a URL."""

import sys

from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.views.debug import ExceptionReporter
import pytest

from neighbourly import views as core_views
from neighbourly.communities import api as communities_api

pytestmark = pytest.mark.django_db


@pytest.fixture
def loose_client():
    """A client that gets the 500 response instead of the exception re-raised."""
    return Client(raise_request_exception=False)


def boom(*args, **kwargs):
    raise RuntimeError("kaboom")


def test_unknown_page_is_the_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"find that page" in response.content and b"site-header" in response.content
    assert b"urlpatterns" not in response.content.lower() and b"api/v1/" not in response.content


def test_unhandled_page_error_is_the_friendly_500(loose_client, monkeypatch):
    monkeypatch.setattr(core_views, "community_list", boom)
    response = loose_client.get("/")
    assert response.status_code == 500
    assert b"went wrong on our side" in response.content
    assert b"kaboom" not in response.content and b"Traceback" not in response.content


def test_500_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "went wrong on our side" in html and "<html" in html


def test_permission_denied_is_the_friendly_403(loose_client, monkeypatch):
    def denied(request):
        raise PermissionDenied

    monkeypatch.setattr(core_views, "community_list", lambda: denied(None))
    response = loose_client.get("/")
    assert response.status_code == 403 and b"open this page" in response.content


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_foreign_host_is_a_plain_400_even_with_debug(loose_client, settings, debug):
    settings.DEBUG = debug
    page = loose_client.get("/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and b"understand that request" in page.content
    assert b"DisallowedHost" not in page.content and b"ALLOWED_HOSTS" not in page.content
    api = loose_client.get("/api/v1/communities", HTTP_HOST="evil.example")
    assert (api.status_code, api.json()) == (400, {"detail": "Bad request."})


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_api_unknown_path_wrong_method_and_crash_answer_json(loose_client, settings, monkeypatch, debug):
    settings.DEBUG = debug
    unknown = loose_client.get("/api/v1/no/such/thing")
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Not found."})
    wrong = loose_client.delete("/api/v1/communities")
    assert (wrong.status_code, wrong.json()) == (405, {"detail": "Method not allowed."})
    assert "GET" in wrong["Allow"]
    monkeypatch.setattr(communities_api.selectors, "community_list", boom)
    crash = loose_client.get("/api/v1/communities")
    assert crash.status_code == 500 and crash["Content-Type"] == "application/json"
    assert crash.json() == {"detail": "Something went wrong on our side. It has been logged."}


def test_error_report_redacts_passwords_in_every_url_setting_even_with_debug(settings):
    secret = "s" + "3cr3t-" * 2  # built, so the report's own source lines don't contain it
    settings.DEBUG = True
    settings.DATABASE_URL = f"postgres://neighbourly:{secret}1@db.internal:5432/neighbourly"
    settings.REDIS_URL = f"redis://:{secret}2@redis.internal:6379/0"
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    settings.EMAIL_URL = f"smtp+tls://mailer:{secret}3@mail.example.org:587"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": f"redis://u:{secret}4@redis.internal/1"}}
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer",
                                           "CONFIG": {"hosts": [f"rediss://u:{secret}5@redis.internal/2"]}}}
    request = RequestFactory().get("/")
    try:
        broker = f"amqp://guest:{secret}6@rabbit/"  # noqa: F841 - a frame variable the report shows
        boom()
    except RuntimeError:
        html = ExceptionReporter(request, *sys.exc_info()).get_traceback_html()
        text = ExceptionReporter(request, *sys.exc_info()).get_traceback_text()
    for n in range(1, 7):
        assert f"{secret}{n}" not in html and f"{secret}{n}" not in text
    assert "postgres://********@db.internal:5432/neighbourly" in html
    assert "amqp://********@rabbit/" in html  # the rest of the URL still helps whoever debugs


def test_html_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/login/")["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:",
                      "frame-ancestors 'none'", "form-action 'self'", "base-uri 'self'", "object-src 'none'"):
        assert directive in policy
    assert "connect-src 'self' ws://localhost:8000" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_htmx_indicator_styles_are_off(client):
    assert b'<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in client.get("/login/").content
