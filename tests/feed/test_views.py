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
