from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from neighbourly.core.errors import ApplicationError, NotFound, PermissionDenied, RateLimited
from neighbourly.feed import selectors, services
from neighbourly.feed.models import Post
from neighbourly.feed.services import EventDetails, NudgeRequired, SafetyDetails
from tests.communities.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def make(member, **kwargs):
    kwargs.setdefault("kind", "general")
    kwargs.setdefault("title", "Hello")
    return services.post_create(author=member.user, community=member.community, **kwargs)


def see(member, post):
    return selectors.post_get_for_viewer(viewer=member.user, post_id=post.id)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": ""}, "Give your post a title."),
        ({"title": "x" * 121}, "Titles can be at most 120 characters."),
        ({"body": "x" * 5001}, "The text can be at most 5000 characters."),
        ({"kind": "gossip"}, "Unknown kind 'gossip'."),
        ({"visibility": "world"}, "Visibility is 'community' or 'nearby'."),
        # for sale & free
        ({"kind": "sale"}, "Give a price, or mark the item as free."),
        ({"kind": "sale", "price": Decimal("5"), "is_free": True}, "An item is either free or has a price, not both."),
        ({"kind": "sale", "price": Decimal("-1")}, "Give a price between 0 and 9,999,999.99."),
        ({"kind": "general", "price": Decimal("5")}, "Only 'for sale & free' posts have a price."),
        ({"kind": "event", "is_free": True, "event": EventDetails(NOW, NOW + timedelta(hours=1), "Hall")},
         "Only 'for sale & free' posts have a price."),
        # event
        ({"kind": "event"}, "An event needs a start, an end and a place."),
        ({"kind": "event", "event": EventDetails(NOW, NOW + timedelta(hours=1), " ")},
         "An event needs a start, an end and a place."),
        ({"kind": "event", "event": EventDetails(NOW, NOW - timedelta(hours=1), "Hall")},
         "An event has to end after it starts."),
        ({"kind": "event", "event": EventDetails(NOW, NOW, "Hall")}, "An event has to end after it starts."),
        ({"kind": "general", "event": EventDetails(NOW, NOW + timedelta(hours=1), "Hall")},
         "Only events have a start, an end and a place."),
        # safety
        ({"kind": "safety"}, "A safety post needs where and when it happened."),
        ({"kind": "safety", "safety": SafetyDetails("", NOW)}, "A safety post needs where and when it happened."),
        ({"kind": "safety", "safety": SafetyDetails("Elm St", NOW + timedelta(days=1))}, "'When' cannot be in the future."),
        ({"kind": "lost_found", "safety": SafetyDetails("Elm St", NOW)},
         "Only safety posts have where/when details and the urgent flag."),
        # poll
        ({"kind": "poll"}, "A poll needs between 2 and 10 options."),
        ({"kind": "poll", "poll_options": ["Only one"]}, "A poll needs between 2 and 10 options."),
        ({"kind": "poll", "poll_options": [str(i) for i in range(11)]}, "A poll needs between 2 and 10 options."),
        ({"kind": "poll", "poll_options": ["Yes", " "]}, "Poll options cannot be empty."),
        ({"kind": "poll", "poll_options": ["Yes", "yes"]}, "Poll options must differ from each other."),
        ({"kind": "recommendation", "poll_options": ["a", "b"]}, "Only polls have options."),
    ],
)
def test_post_create_refuses_invalid_kind_fields_and_creates_nothing(member, kwargs, message):
    with pytest.raises(ApplicationError) as error:
        make(member, **kwargs)
    assert error.value.message.startswith(message)
    assert Post.objects.exists() is False


def test_post_create_every_valid_kind(member):
    posts = [
        make(member, kind="general", title="Hi", body="Hello"),
        make(member, kind="sale", title="Sofa", price=Decimal("45.00")),
        make(member, kind="sale", title="Seedlings", is_free=True),
        make(member, kind="recommendation", title="Plumber?"),
        make(member, kind="lost_found", title="Lost cat"),
        make(member, kind="safety", title="Door handles tried", body="Walked along trying handles",
             safety=SafetyDetails("Elm St", NOW - timedelta(hours=1))),
        make(member, kind="event", title="Fete", event=EventDetails(NOW, NOW + timedelta(hours=3), "Green")),
        make(member, kind="poll", title="Which day?", poll_options=["Sat", "Sun"]),
    ]
    assert [p.kind for p in posts] == ["general", "sale", "sale", "recommendation", "lost_found", "safety", "event",
                                       "poll"]
    assert posts[-1].poll_counts == [0, 0]
    assert posts[6].rsvp_counts == {"going": 0, "maybe": 0, "not_going": 0}
    assert posts[0].author_membership_id == member.id


def test_post_create_by_pending_member_or_outsider_is_not_found(pending_member, other_member, community):
    with pytest.raises(NotFound):
        services.post_create(author=pending_member.user, community=community, kind="general", title="Hi")
    with pytest.raises(NotFound):
        services.post_create(author=other_member.user, community=community, kind="general", title="Hi")
    assert Post.objects.exists() is False


def test_nudge_asks_then_post_anyway_publishes(member):
    with pytest.raises(NudgeRequired) as error:
        make(member, title="Those teenagers are ruining the park", body="Idiots, all of them")
    assert len(error.value.reasons) == 2
    assert error.value.extra["code"] == "nudge"
    assert Post.objects.exists() is False
    post = make(member, title="Those teenagers are ruining the park", body="Idiots, all of them", post_anyway=True)
    assert Post.objects.get() == post


def test_urgent_safety_limited_per_member_per_day(member, django_capture_on_commit_callbacks):
    safety = SafetyDetails("Elm St", NOW - timedelta(minutes=5), urgent=True)
    with django_capture_on_commit_callbacks() as callbacks:
        make(member, kind="safety", title="Smoke from a house", safety=safety)
    assert len(callbacks) == 4  # the new-files commit marker (core.storage), feed.new + alert, the notifications task
    with pytest.raises(RateLimited):
        make(member, kind="safety", title="Another", safety=safety)
    assert Post.objects.filter(urgent=True).count() == 1


def test_post_create_publishes_feed_new_and_alerts_nearby(member, django_capture_on_commit_callbacks, monkeypatch):
    nearby = CommunityFactory()
    member.community.nearby.add(nearby)
    sent = []
    monkeypatch.setattr("neighbourly.core.events.send_event", lambda group, event: sent.append((group, event)))
    with django_capture_on_commit_callbacks(execute=True):
        post = make(member, kind="safety", title="Smoke", visibility="nearby",
                    safety=SafetyDetails("Elm St", NOW, urgent=True))
    slug, url, author = member.community.slug, f"/posts/{post.id}/", member.user_id
    assert sent == [
        (f"community.{member.community_id}", {"type": "feed.new", "post_id": post.id, "community": slug,
                                              "kind": "safety", "feed": member.community_id, "author": author}),
        (f"community.{member.community_id}", {"type": "alert", "post_id": post.id, "community": slug,
                                              "title": "Smoke", "where": "Elm St", "url": url, "author": author}),
        (f"community.{nearby.id}", {"type": "feed.new", "post_id": post.id, "community": slug, "kind": "safety",
                                    "feed": nearby.id, "author": author}),
        (f"community.{nearby.id}", {"type": "alert", "post_id": post.id, "community": slug, "title": "Smoke",
                                    "where": "Elm St", "url": url, "author": author}),
    ]


def test_edit_marks_edited_and_others_are_refused(member):
    post = make(member, title="Old")
    neighbour = MembershipFactory(community=member.community, verified=True)
    with pytest.raises(PermissionDenied):
        services.post_update(user=neighbour.user, post=see(neighbour, post), title="Hijacked")
    with pytest.raises(PermissionDenied):
        services.post_delete(user=neighbour.user, post=see(neighbour, post))
    post.refresh_from_db()
    assert (post.title, post.edited_at) == ("Old", None)
    services.post_update(user=member.user, post=see(member, post), title="New")
    post.refresh_from_db()
    assert post.title == "New" and post.edited_at is not None
    services.post_delete(user=member.user, post=see(member, post))
    assert Post.objects.exists() is False


def test_edit_refuses_other_kind_fields(member):
    post = make(member, title="Hi")
    with pytest.raises(ApplicationError, match="Only 'for sale & free' posts have a price."):
        services.post_update(user=member.user, post=see(member, post), price=Decimal("3"))
    event = make(member, kind="event", title="Fete", event=EventDetails(NOW, NOW + timedelta(hours=1), "Green"))
    with pytest.raises(ApplicationError, match="An event has to end after it starts."):
        services.post_update(user=member.user, post=see(member, event),
                             event=EventDetails(NOW, NOW - timedelta(hours=1), "Green"))
