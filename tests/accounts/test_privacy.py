"""Export gives me my data and nothing private of others; deletion leaves no personal data."""

import json

from django.apps import apps
from django.db import models
import pytest

from neighbourly.accounts.models import User
from neighbourly.notifications import services as notifications
from neighbourly.notifications.models import Kind
from tests.accounts.factories import TEST_PASSWORD, UserFactory
from tests.communities.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def rows_mentioning(*needles: str) -> list[str]:
    """Every (model, pk) whose text fields contain any needle: a search of the whole database."""
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        if not fields:
            continue
        for row in model.objects.values("pk", *[f.attname for f in fields]).iterator():
            text = json.dumps(row, default=str).lower()
            found += [f"{model._meta.label}:{row['pk']}" for needle in needles if needle.lower() in text]
    return found


@pytest.fixture
def neighbours():
    me = MembershipFactory(verified=True, user__email="me.myself@example.org", user__profile__display_name="Zed Q",
                           address__number="4217", address__street="Elm Street")
    other = MembershipFactory(community=me.community, verified=True, user__email="other@example.org",
                              address__number="99", address__street="Oak Road")
    notifications.notification_send(recipient=me.user, kind=Kind.REPLY, title="Someone replied")
    notifications.notification_send(recipient=other.user, kind=Kind.REPLY, title="Private to other")
    return me, other


def test_export_contains_my_data_and_nothing_private_of_others(api_as, neighbours):
    me, other = neighbours
    response = api_as(me.user).get_json("/me/export")
    assert response.status_code == 200
    data = response.json()
    assert data["account"]["email"] == "me.myself@example.org"
    assert data["profile"]["display_name"] == "Zed Q"
    assert data["memberships"][0]["address"] == "4217 Elm Street, Testham, TE1 1ST"  # my own address
    assert [n["title"] for n in data["notifications"]] == ["Someone replied"]
    text = json.dumps(data)
    assert "other@example.org" not in text and "Oak Road" not in text and "Private to other" not in text


def test_delete_me_needs_the_password_and_changes_nothing_without_it(api_as, neighbours):
    me, _ = neighbours
    response = api_as(me.user).delete("/api/v1/me", json.dumps({"password": "wrong", "keep_content": False}),
                                      content_type="application/json")
    assert response.status_code == 403
    assert User.objects.filter(pk=me.user.pk).exists()


def test_delete_me_leaves_no_personal_data(api_as, neighbours):
    me, other = neighbours
    client = api_as(me.user)
    client.post_json("/auth/login", {"email": me.user.email, "password": "wrong-guess"})  # an axes record
    response = client.delete("/api/v1/me", json.dumps({"password": TEST_PASSWORD, "keep_content": False}),
                             content_type="application/json")
    assert response.status_code == 204
    assert rows_mentioning("me.myself@example.org", "Zed Q") == []
    assert User.objects.filter(pk=other.user.pk).exists()
    assert client.get_json("/me").status_code == 401


def test_account_page_export_and_delete(client, neighbours):
    me, _ = neighbours
    client.force_login(me.user)
    assert client.get("/account/").status_code == 200
    export = client.get("/account/export/")
    assert export["Content-Disposition"] == 'attachment; filename="neighbourly-export.json"'
    assert json.loads(export.content)["account"]["email"] == "me.myself@example.org"
    wrong = client.post("/account/delete/", {"keep_content": "keep", "password": "nope"})
    assert wrong.status_code == 400 and b"not correct" in wrong.content
    done = client.post("/account/delete/", {"keep_content": "keep", "password": TEST_PASSWORD})
    assert done["Location"] == "/"
    assert User.objects.filter(email="me.myself@example.org").exists() is False


def test_account_page_profile_and_tokens(client):
    user = UserFactory()
    client.force_login(user)
    assert client.post("/account/", {"display_name": "", "bio": ""}).status_code == 400
    client.post("/account/", {"display_name": "New Name", "bio": "Hi", "age_band": "25-34"})
    user.profile.refresh_from_db()
    assert (user.profile.display_name, user.profile.age_band) == ("New Name", "25-34")
    page = client.post("/account/tokens/", {"name": "cron"})
    assert b"shown only once" in page.content and b"nbly_" in page.content
    token = user.api_tokens.get()
    client.post(f"/account/tokens/{token.id}/revoke/")
    assert user.api_tokens.exists() is False
