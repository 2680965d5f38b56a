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


# --- everything a member leaves across the apps (feed, chat, moderation) ---------------------


def _active_member(me, other, moderator):
    """Me: posts, a comment, a reaction, a vote, chat messages, a report, a moderated post and an appeal."""
    from neighbourly.feed import services as feed
    from neighbourly.feed.selectors import post_get_for_viewer
    from neighbourly.moderation.appeals import appeal_create
    from neighbourly.moderation.models import Case
    from neighbourly.moderation.services import action_take, report_create
    from neighbourly.realtime.services import chat_message_send
    from tests.realtime.factories import room_with

    mine = feed.post_create(author=me.user, community=me.community, kind="general", title="Zed's jumble sale",
                            body="Everything must go")
    poll = feed.post_create(author=other.user, community=me.community, kind="poll", title="Best day?",
                            poll_options=["Sat", "Sun"])
    theirs = post_get_for_viewer(viewer=me.user, post_id=poll.pk)
    feed.comment_create(author=me.user, post=theirs, body="Saturday for me")
    feed.reaction_set(user=me.user, post=theirs, kind="like")
    feed.poll_vote(user=me.user, post=theirs, option=0)
    room = room_with(me.community, me.user, other.user)
    chat_message_send(user=me.user, conversation_id=room.pk, body="See you at the sale", client_id="zed-1")
    chat_message_send(user=other.user, conversation_id=room.pk, body="Great", client_id="o-1")
    report_create(reporter=me.user, target_type="post", target_id=poll.pk, guideline="other", reason="Zed thinks so")
    report_create(reporter=other.user, target_type="post", target_id=mine.pk, guideline="keep-it-local")
    action = action_take(moderator=moderator.user, case_id=Case.objects.get(target_id=mine.pk).pk, action="warn",
                         guideline="keep-it-local", reason="Keep sales in the For sale section")
    appeal_create(user=me.user, action_id=action.pk, statement="Zed here: it is a community jumble sale")
    return mine, poll, room


@pytest.mark.parametrize("keep", [False, True], ids=["remove", "keep-anonymised"])
def test_delete_me_across_apps_leaves_no_personal_data(api_as, neighbours, keep):
    from neighbourly.communities.models import Membership
    from neighbourly.feed.models import Comment, Post, PollVote, Reaction
    from neighbourly.moderation.models import Action, Case, Report
    from neighbourly.realtime.models import Message

    me, other = neighbours
    moderator = MembershipFactory(community=me.community, moderator=True)
    mine, poll, room = _active_member(me, other, moderator)
    address = me.address
    response = api_as(me.user).delete("/api/v1/me", json.dumps({"password": TEST_PASSWORD, "keep_content": keep}),
                                      content_type="application/json")
    assert response.status_code == 204
    assert rows_mentioning("me.myself@example.org", "Zed Q") == []
    assert Membership.objects.filter(address=address).exists() is False  # no link to my address
    assert Reaction.objects.count() == PollVote.objects.count() == Report.objects.filter(reporter__isnull=True).count() == 0
    poll.refresh_from_db()
    assert (poll.reaction_counts.get("like", 0), poll.poll_counts) == (0, [0, 0])
    assert Case.objects.get(target_id=poll.pk).reporter_count == 0
    assert Action.objects.get().subject is None and Action.objects.get().content_snapshot == ""
    kept_messages = list(Message.objects.filter(conversation=room).order_by("seq").values_list("author", "body"))
    if keep:
        assert Post.objects.get(pk=mine.pk).author is None
        assert Comment.objects.get(body="Saturday for me").author is None
        assert kept_messages == [(None, "See you at the sale"), (other.user.pk, "Great")]
    else:
        assert not Post.objects.filter(pk=mine.pk).exists() and not Comment.objects.exists()
        assert kept_messages == [(other.user.pk, "Great")]


def test_export_includes_messages_reports_and_decisions(api_as, neighbours):
    me, other = neighbours
    _active_member(me, other, MembershipFactory(community=me.community, moderator=True))
    data = api_as(me.user).get_json("/me/export").json()
    assert [m["body"] for m in data["messages"]] == ["See you at the sale"]
    assert data["reports_made"][0]["reason"] == "Zed thinks so"
    [decision] = data["moderation_decisions_about_me"]
    assert (decision["action"], decision["appeal"]["status"]) == ("warn", "pending")
    assert "Great" not in json.dumps(data)  # the neighbour's message is theirs


def test_name_only_and_directory(api_as, client, neighbours):
    from neighbourly.feed import services as feed

    me, other = neighbours
    post = feed.post_create(author=me.user, community=me.community, kind="general", title="Hello", body="x")
    api = api_as(me.user)
    assert api.patch_json("/me", {"neighbour_label": "name_only", "in_directory": True}).json()["in_directory"] is True
    item = api_as(other.user).get_json(f"/posts/{post.pk}").json()
    assert (item["author"]["display_name"], item["author"]["street"]) == ("Zed Q", None)
    client.force_login(other.user)
    assert b"Elm Street" not in client.get(f"/posts/{post.pk}/").content
    directory = api_as(other.user).get_json(f"/communities/{me.community.slug}/directory").json()
    assert directory == [{"display_name": "Zed Q", "street": None}]
    api.patch_json("/me", {"neighbour_label": "name_street"})
    assert api_as(other.user).get_json(f"/communities/{me.community.slug}/directory").json() == [
        {"display_name": "Zed Q", "street": "Elm Street"}]
    page = client.get(f"/communities/{me.community.slug}/directory/")
    assert b"Zed Q" in page.content and b"Elm Street" in page.content and b"4217" not in page.content
    assert api.patch_json("/me", {"neighbour_label": "everything"}).status_code == 422


def test_privacy_form_on_the_account_page(client, neighbours):
    me, _ = neighbours
    client.force_login(me.user)
    assert b"How neighbours see you" in client.get("/account/").content
    assert client.post("/account/privacy/", {"neighbour_label": "bogus"}).status_code == 400
    client.post("/account/privacy/", {"neighbour_label": "name_only", "in_directory": "on"})
    me.user.profile.refresh_from_db()
    assert (me.user.profile.neighbour_label, me.user.profile.in_directory) == ("name_only", True)
