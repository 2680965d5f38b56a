from datetime import timedelta

import pytest
from django.utils import timezone

from neighbourly.feed.models import Post
from neighbourly.feed.schemas import PostOut
from neighbourly.moderation.models import Report
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.feed.factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


def post_for(member, **kwargs):
    return PostFactory(community=member.community, author=member.user, author_membership=member, **kwargs)


def test_create_post_and_read_it_back(member, api_as):
    api = api_as(member.user)
    response = api.post_json(f"/communities/{member.community.slug}/posts", {
        "kind": "poll", "title": "Which day?", "body": "See https://example.org/x", "poll": {"options": ["Sat", "Sun"]},
    })
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["poll"] == {"options": [{"index": 0, "label": "Sat", "votes": None},
                                        {"index": 1, "label": "Sun", "votes": None}],
                            "total_votes": None, "my_vote": None}
    assert data["author"]["street"] == member.address.street
    assert set(data["author"]) == {"id", "display_name", "street", "avatar_url"}  # no number field at all
    vote = api.post_json(f"/posts/{data['id']}/vote", {"option": 1})
    assert vote.json()["poll"]["options"][1]["votes"] == 1 and vote.json()["poll"]["my_vote"] == 1
    assert api.post_json(f"/posts/{data['id']}/vote", {"option": 0}).status_code == 409


def test_create_post_wrong_kind_fields_is_400_and_nothing_created(member, api_as):
    api = api_as(member.user)
    slug = member.community.slug
    start = timezone.now()
    cases = [
        {"kind": "general", "title": "Hi", "price": "5.00"},
        {"kind": "poll", "title": "Q", "poll": {"options": ["one"]}},
        {"kind": "poll", "title": "Q", "poll": {"options": [str(i) for i in range(11)]}},
        {"kind": "event", "title": "E", "event": {"starts_at": start.isoformat(),
                                                   "ends_at": (start - timedelta(hours=1)).isoformat(), "place": "x"}},
        {"kind": "sale", "title": "S"},
    ]
    for body in cases:
        response = api.post_json(f"/communities/{slug}/posts", body)
        assert response.status_code == 400, (body, response.content)
        assert response.json()["detail"]
    assert api.post_json(f"/communities/{slug}/posts", {"kind": "nope", "title": "x"}).status_code == 422
    assert Post.objects.exists() is False


def test_nudge_is_400_with_reasons_then_post_anyway(member, api_as):
    api = api_as(member.user)
    body = {"kind": "general", "title": "You people are idiots"}
    response = api.post_json(f"/communities/{member.community.slug}/posts", body)
    assert response.status_code == 400 and response.json()["code"] == "nudge"
    assert len(response.json()["nudge"]) == 2
    assert api.post_json(f"/communities/{member.community.slug}/posts", {**body, "post_anyway": True}).status_code == 201


def test_another_communitys_member_gets_404_on_feed_post_comments(member, other_member, api_as):
    post = post_for(member)
    CommentFactory(post=post)
    api = api_as(other_member.user)
    slug = member.community.slug
    for response in [
        api.get_json(f"/communities/{slug}/feed"),
        api.post_json(f"/communities/{slug}/posts", {"kind": "general", "title": "Hi"}),
        api.get_json(f"/posts/{post.id}"),
        api.patch_json(f"/posts/{post.id}", {"title": "x"}),
        api.delete_json(f"/posts/{post.id}"),
        api.get_json(f"/posts/{post.id}/comments"),
        api.post_json(f"/posts/{post.id}/comments", {"body": "hi"}),
        api.put_json(f"/posts/{post.id}/reactions/like"),
        api.post_json(f"/posts/{post.id}/vote", {"option": 0}),
        api.post_json(f"/posts/{post.id}/rsvp", {"status": "going"}),
        api.post_json("/reports", {"target_type": "post", "target_id": post.id, "reason": "spam"}),
    ]:
        assert response.status_code == 404, response.request
        assert response.json() == {"detail": "Not found."}
    assert Post.objects.get().title == post.title and Report.objects.exists() is False


def test_pending_member_and_anonymous_cannot_see(member, pending_member, api, api_as):
    post = post_for(member)
    assert api_as(pending_member.user).get_json(f"/posts/{post.id}").status_code == 404
    assert api.get_json(f"/posts/{post.id}").status_code == 401


def test_nearby_posts_are_seen_by_nearby_residents_only(member, api_as):
    nearby = CommunityFactory()
    member.community.nearby.add(nearby)
    neighbour = MembershipFactory(community=nearby, verified=True)
    shared = post_for(member, visibility="nearby", title="Shared")
    private = post_for(member, title="Private")
    api = api_as(neighbour.user)
    assert api.get_json(f"/posts/{shared.id}").status_code == 200
    assert api.get_json(f"/posts/{private.id}").status_code == 404
    titles = [item["title"] for item in api.get_json(f"/communities/{nearby.slug}/feed").json()["items"]]
    assert titles == ["Shared"]
    comment = api.post_json(f"/posts/{shared.id}/comments", {"body": "From next door"}).json()
    assert comment["author"]["street"] == neighbour.address.street


def test_edit_and_delete_by_another_member_refused(member, api_as):
    post = post_for(member, title="Mine")
    neighbour = MembershipFactory(community=member.community, verified=True)
    api = api_as(neighbour.user)
    assert api.patch_json(f"/posts/{post.id}", {"title": "Theirs"}).status_code == 403
    assert api.delete_json(f"/posts/{post.id}").status_code == 403
    assert Post.objects.get().title == "Mine"
    own = api_as(member.user)
    edited = own.patch_json(f"/posts/{post.id}", {"title": "Mine, edited"}).json()
    assert edited["title"] == "Mine, edited" and edited["edited_at"] is not None
    assert own.delete_json(f"/posts/{post.id}").status_code == 204
    assert Post.objects.exists() is False


def test_reactions_rsvp_comments_and_report(member, api_as):
    post = post_for(member)
    api = api_as(member.user)
    assert api.put_json(f"/posts/{post.id}/reactions/thanks").json() == {"reactions": {"thanks": 1},
                                                                          "my_reaction": "thanks"}
    assert api.delete_json(f"/posts/{post.id}/reactions/thanks").json() == {"reactions": {}, "my_reaction": None}
    assert api.put_json(f"/posts/{post.id}/reactions/angry").status_code == 400
    assert api.post_json(f"/posts/{post.id}/rsvp", {"status": "going"}).status_code == 404  # not an event
    top = api.post_json(f"/posts/{post.id}/comments", {"body": "First"}).json()
    api.post_json(f"/posts/{post.id}/comments", {"body": "Reply", "parent_id": top["id"]})
    listed = api.get_json(f"/posts/{post.id}/comments").json()["items"]
    assert [(c["body"], c["parent_id"]) for c in listed] == [("First", None), ("Reply", top["id"])]
    report = api.post_json("/reports", {"target_type": "comment", "target_id": top["id"], "reason": "Rude"})
    assert report.status_code == 201
    again = api.post_json("/reports", {"target_type": "comment", "target_id": top["id"], "reason": "Rude"})
    assert again.status_code == 409
    assert Report.objects.get().community_id == member.community_id


def test_feed_items_match_post_schema_and_kind_filter(member, api_as):
    post_for(member, kind="lost_found", title="Lost")
    post_for(member, title="General")
    api = api_as(member.user)
    items = api.get_json(f"/communities/{member.community.slug}/feed").json()["items"]
    assert [i["title"] for i in items] == ["General", "Lost"]
    for item in items:
        PostOut.model_validate(item)
    filtered = api.get_json(f"/communities/{member.community.slug}/feed?kind=lost_found").json()["items"]
    assert [i["title"] for i in filtered] == ["Lost"]
    assert api.get_json(f"/communities/{member.community.slug}/feed?cursor=garbage").status_code == 400
    bad = api.get_json(f"/communities/{member.community.slug}/feed?cursor=garbage").json()
    assert bad == {"detail": "That cursor is not valid; start again from the first page."}


def test_feed_pages_through_everything_without_gaps_or_duplicates_while_posts_arrive(member, api_as):
    nearby = CommunityFactory()
    member.community.nearby.add(nearby)
    other = MembershipFactory(community=nearby, verified=True)
    expected = []
    for i in range(45):
        if i % 3 == 0:
            expected.append(PostFactory(community=nearby, author=other.user, visibility="nearby").id)
        else:
            expected.append(post_for(member).id)
        PostFactory(community=nearby, author=other.user)  # not shared: never in this feed
    api = api_as(member.user)
    seen, cursor, pages = [], None, 0
    while True:
        path = f"/communities/{member.community.slug}/feed?limit=7" + (f"&cursor={cursor}" if cursor else "")
        data = api.get_json(path).json()
        seen += [i["id"] for i in data["items"]]
        post_for(member)  # new posts arrive while scrolling: they go on top, not into older pages
        pages += 1
        cursor = data["next_cursor"]
        if not cursor:
            break
    assert pages == 7
    assert seen == list(reversed(expected))


@pytest.mark.parametrize("limit", [5, 20, 50])
def test_feed_api_query_count_is_constant(member, api_as, django_assert_num_queries, limit):
    nearby = CommunityFactory()
    member.community.nearby.add(nearby)
    other = MembershipFactory(community=nearby, verified=True)
    api = api_as(member.user)
    url = f"/communities/{member.community.slug}/feed?limit={limit}"
    for rows in (limit, limit + 20):
        for i in range(rows):
            post = post_for(member, kind="poll" if i % 2 else "event", poll_options=["a", "b"])
            PostFactory(community=nearby, author=other.user, visibility="nearby")
            post.images.create(file="x.webp", content_type="image/webp", width=1, height=1)
        api.get_json(url)  # warms the cached local offers (merchants)
        # session + user (auth), member context, posts, images
        with django_assert_num_queries(5):
            assert len(api.get_json(url).json()["items"]) == limit


def test_out_of_range_ids_are_404_not_500(member, api_as, client):
    api = api_as(member.user)
    huge = 2**70
    assert api.get_json(f"/posts/{huge}").status_code == 404
    assert api.get_json(f"/posts/{huge}/comments").status_code == 404
    client.force_login(member.user)
    assert client.get(f"/posts/{huge}/").status_code == 404
    assert client.get(f"/avatars/{huge}").status_code == 404
