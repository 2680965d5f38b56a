import re

import pytest

from neighbourly.feed.models import Post
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.feed.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [5, 20, 50])
def test_community_page_query_count_is_constant(member, client, django_assert_num_queries, count):
    nearby = CommunityFactory()
    member.community.nearby.add(nearby)
    client.force_login(member.user)
    for rows in (count, count + 20):
        for _ in range(rows):
            post = PostFactory(community=member.community, author=member.user, author_membership=member)
            post.images.create(file="x.webp", content_type="image/webp", width=1, height=1)
            PostFactory(community=nearby, visibility="nearby")
        client.get(f"/communities/{member.community.slug}/")  # warms the cached local offers (merchants)
        # session, user, member context (+profile, nearby ids), posts, images
        with django_assert_num_queries(5):
            response = client.get(f"/communities/{member.community.slug}/")
        assert response.status_code == 200
        assert response.content.decode().count('class="card post ') == min(20, 2 * rows)


def test_page_shows_street_never_house_number(member, client):
    member.address.number = "4711"
    member.address.save()
    PostFactory(community=member.community, author=member.user, author_membership=member, title="Hello all")
    client.force_login(member.user)
    html = client.get(f"/communities/{member.community.slug}/").content.decode()
    assert "Hello all" in html and member.address.street in html and "4711" not in html


def test_htmx_post_create_returns_card_out_of_band(member, client):
    client.force_login(member.user)
    response = client.post(f"/communities/{member.community.slug}/posts/new/",
                           {"kind": "general", "title": "<script>alert(1)</script>", "visibility": "community"},
                           HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="afterbegin:#post-list"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert Post.objects.get().title == "<script>alert(1)</script>"


def test_other_member_gets_404_on_pages(member, other_member, client):
    post = PostFactory(community=member.community, author=member.user)
    client.force_login(other_member.user)
    assert client.get(f"/communities/{member.community.slug}/").status_code == 404
    assert client.get(f"/communities/{member.community.slug}/feed/").status_code == 404
    assert client.get(f"/posts/{post.id}/").status_code == 404
    assert client.post(f"/posts/{post.id}/comments/", {"body": "x"}).status_code == 404
    assert client.post(f"/posts/{post.id}/delete/").status_code == 404
    assert Post.objects.filter(pk=post.pk).exists()


def test_linkify_escapes_and_links_only_http():
    from neighbourly.feed.templatetags.feed_text import linkify_text

    assert linkify_text('see https://x.org/a?b=1&c=2. <b>hi</b> javascript:alert(1)') == (
        'see <a href="https://x.org/a?b=1&amp;c=2" rel="nofollow noopener noreferrer ugc" target="_blank">'
        'https://x.org/a?b=1&amp;c=2</a>. &lt;b&gt;hi&lt;/b&gt; javascript:alert(1)'
    )
    assert linkify_text('https://x.org/"onmouseover="alert(1)') == (
        '<a href="https://x.org/" rel="nofollow noopener noreferrer ugc" target="_blank">https://x.org/</a>'
        '&quot;onmouseover=&quot;alert(1)'
    )


def test_pending_member_still_gets_pending_page(pending_member, client):
    client.force_login(pending_member.user)
    response = client.get(f"/communities/{pending_member.community.slug}/")
    assert response.status_code == 200
    assert 'id="post-list"' not in response.content.decode()


def test_member_of_two_communities_sees_each_feed(member, client):
    second = MembershipFactory(user=member.user, verified=True)
    PostFactory(community=second.community, title="Over there")
    client.force_login(member.user)
    assert "Over there" in client.get(f"/communities/{second.community.slug}/").content.decode()
    assert "Over there" not in client.get(f"/communities/{member.community.slug}/").content.decode()


def _since(html: str) -> str:
    return re.search(r'id="feed-since" data-since="([^"]+)"', html).group(1)


def test_new_posts_since_the_page_are_others_only_newest_first_with_the_marker_moved(member, client):
    nearby, far = CommunityFactory(), CommunityFactory()
    member.community.nearby.add(nearby)
    PostFactory(community=member.community, title="Already seen")
    client.force_login(member.user)
    page = client.get(f"/communities/{member.community.slug}/").content.decode()
    assert f'data-live-feed="{member.community.slug}"' in page
    since = _since(page)
    neighbour = MembershipFactory(community=member.community, verified=True)
    first = PostFactory(community=member.community, author=neighbour.user, title="First new")
    PostFactory(community=member.community, author=member.user, title="Mine")
    PostFactory(community=nearby, visibility="community", title="Nearby, not shared")
    shared = PostFactory(community=nearby, visibility="nearby", title="Nearby, shared")
    PostFactory(community=far, title="Far away")
    response = client.get(f"/communities/{member.community.slug}/feed/new/", {"since": since}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'<article id="post-(\d+)"', html) == [str(shared.id), str(first.id)]
    assert 'hx-swap-oob="true"' in html
    moved = _since(html)
    assert moved != since
    again = client.get(f"/communities/{member.community.slug}/feed/new/", {"since": moved}, HTTP_HX_REQUEST="true")
    assert re.findall(r'<article id="post-(\d+)"', again.content.decode()) == []
    ids = client.get(f"/communities/{member.community.slug}/feed/new/", {"since": since, "ids": "1"}).json()
    assert ids == {"ids": [shared.id, first.id]}


def test_new_posts_of_one_kind_when_the_page_is_filtered(member, client):
    client.force_login(member.user)
    since = _since(client.get(f"/communities/{member.community.slug}/?kind=safety").content.decode())
    PostFactory(community=member.community, title="General")
    safety = PostFactory(community=member.community, kind="safety", title="Smoke", safety_where="Elm St")
    got = client.get(f"/communities/{member.community.slug}/feed/new/", {"since": since, "kind": "safety", "ids": 1})
    assert got.json() == {"ids": [safety.id]}


@pytest.mark.parametrize("rows", [5, 25])
def test_new_posts_query_count_is_constant(member, client, django_assert_num_queries, rows):
    nearby = CommunityFactory()
    member.community.nearby.add(nearby)
    client.force_login(member.user)
    since = _since(client.get(f"/communities/{member.community.slug}/").content.decode())
    for _ in range(rows):
        post = PostFactory(community=member.community)
        post.images.create(file="x.webp", content_type="image/webp", width=1, height=1)
        PostFactory(community=nearby, visibility="nearby")
    url = f"/communities/{member.community.slug}/feed/new/"
    with django_assert_num_queries(5):  # session, user, member context, posts, images
        html = client.get(url, {"since": since}, HTTP_HX_REQUEST="true").content.decode()
    assert html.count('class="card post ') == min(50, 2 * rows)
    with django_assert_num_queries(4):  # session, user, member context, ids
        assert len(client.get(url, {"since": since, "ids": "1"}).json()["ids"]) == min(50, 2 * rows)


def test_new_posts_refuse_other_communities_and_bad_cursors(member, other_member, client):
    client.force_login(other_member.user)
    assert client.get(f"/communities/{member.community.slug}/feed/new/", {"since": "x"}).status_code == 404
    client.force_login(member.user)
    bad = client.get(f"/communities/{member.community.slug}/feed/new/", {"since": "not-a-cursor", "ids": "1"})
    assert (bad.status_code, bad.json()) == (400, {"detail": "That cursor is not valid; start again from the first page."})
    assert client.get(f"/communities/{member.community.slug}/feed/new/", {"ids": "1"}).status_code == 400


def test_an_older_page_has_no_live_banner(member, client):
    for _ in range(25):
        PostFactory(community=member.community)
    client.force_login(member.user)
    first = client.get(f"/communities/{member.community.slug}/").content.decode()
    cursor = re.search(r'feed/\?cursor=([^"&]+)', first).group(1)
    older = client.get(f"/communities/{member.community.slug}/feed/?cursor={cursor}").content.decode()
    assert "data-live-feed=" in first and "data-live-feed=" not in older and 'data-since="None"' not in older


def test_a_bad_cursor_shows_the_first_page_with_a_message(member, client, assert_bad_cursor_page):
    PostFactory(community=member.community, title="Still here")
    client.force_login(member.user)
    page = assert_bad_cursor_page(client, f"/communities/{member.community.slug}/feed/", kind="general")
    assert "Still here" in page.content.decode()


def test_a_bad_cursor_when_scrolling_sends_htmx_to_the_first_page(member, client):
    client.force_login(member.user)
    path = f"/communities/{member.community.slug}/feed/"
    response = client.get(path, {"cursor": "not-a-cursor"}, headers={"HX-Request": "true"})
    assert (response.status_code, response["HX-Redirect"]) == (204, path)
