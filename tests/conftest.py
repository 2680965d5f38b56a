"""Shared fixtures: communities, members in each state, and API clients."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from tests.communities.factories import CommunityFactory, MembershipFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield


@pytest.fixture
def community(db):
    return CommunityFactory()


@pytest.fixture
def other_community(db):
    return CommunityFactory()


@pytest.fixture
def member(community):
    """A verified resident of `community`."""
    return MembershipFactory(community=community, verified=True)


@pytest.fixture
def pending_member(community):
    return MembershipFactory(community=community)


@pytest.fixture
def moderator(community):
    return MembershipFactory(community=community, moderator=True)


@pytest.fixture
def other_member(other_community):
    """A verified resident of another community: must see nothing of `community`."""
    return MembershipFactory(community=other_community, verified=True)


class ApiClient(Client):
    """Test client that speaks JSON to /api/v1/."""

    def _json(self, method, path, data=None, **extra):
        body = json.dumps(data) if data is not None else None
        return getattr(super(), method)(f"/api/v1{path}", body, content_type="application/json", **extra)

    def get_json(self, path, **extra):
        return super().get(f"/api/v1{path}", **extra)

    def post_json(self, path, data=None, **extra):
        return self._json("post", path, data, **extra)

    def patch_json(self, path, data=None, **extra):
        return self._json("patch", path, data, **extra)

    def put_json(self, path, data=None, **extra):
        return self._json("put", path, data, **extra)

    def delete_json(self, path, **extra):
        return super().delete(f"/api/v1{path}", **extra)


@pytest.fixture
def api():
    """An anonymous API client."""
    return ApiClient()


@pytest.fixture
def api_as():
    """api_as(user) -> an API client logged in as that user (session cookie)."""

    def make(user):
        client = ApiClient()
        client.force_login(user)
        return client

    return make


BAD_CURSOR = "That cursor is not valid; start again from the first page."


@pytest.fixture
def assert_bad_cursor_page():
    """check(client, path, **params): a page asked for with a bad cursor shows its first page
    (the same address and parameters, without the cursor) with the message, not an error."""
    from urllib.parse import urlencode

    def check(client, path, **params):
        response = client.get(path, {**params, "cursor": "not-a-cursor"})
        assert response.status_code == 302
        assert response["Location"] == path + (f"?{urlencode(params)}" if params else "")
        page = client.get(response["Location"])
        assert page.status_code == 200 and BAD_CURSOR in page.content.decode()
        return page

    return check


@pytest.fixture
def assert_bad_cursor_api():
    """check(client, path): the API answers a bad cursor with 400 and the one message."""

    def check(client, path):
        separator = "&" if "?" in path else "?"
        response = client.get_json(f"{path}{separator}cursor=not-a-cursor")
        assert (response.status_code, response.json()) == (400, {"detail": BAD_CURSOR})

    return check
