"""@mention references: parsing, rendering as a profile link, and the composer's suggestions."""

import pytest

from neighbourly.feed.mentions import mention_ids, mention_plain
from neighbourly.feed.templatetags.feed_text import linkify_text
from tests.communities.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_mentions_are_parsed_in_order_once_each():
    text = "Hi @[Ana](user:7) and @[Ben O](user:12), @[Ana](user:7) again; not @[x](user:0) or @[y](user:abc)"
    assert mention_ids(text) == [7, 12]
    assert mention_plain(text).startswith("Hi @Ana and @Ben O, @Ana again")


def test_a_mention_renders_as_an_escaped_link_to_the_profile_beside_urls():
    html = linkify_text('Ask @[Ana <b>](user:7) see https://example.org/x.\nThanks')
    assert html == ('Ask <a class="mention" href="/neighbours/7/">@Ana &lt;b&gt;</a> see '
                    '<a href="https://example.org/x" rel="nofollow noopener noreferrer ugc" target="_blank">'
                    'https://example.org/x</a>.<br>Thanks')


@pytest.fixture
def neighbours(community):
    names = ["Ana Costa", "Anabel Lee", "Joanna Ray", "Ben Ode"]
    return [MembershipFactory(community=community, verified=True, user__profile__display_name=n) for n in names]


def test_suggestions_list_verified_neighbours_matching_the_name(client, member, neighbours, pending_member,
                                                                 other_member, community, django_assert_num_queries):
    for who, display in ((member, "Dan Me"), (pending_member, "Andy Pending"), (other_member, "Anne Elsewhere")):
        who.user.profile.display_name = display
        who.user.profile.save()
    client.force_login(member.user)
    url = f"/communities/{community.slug}/mentions/"
    with django_assert_num_queries(4):  # session, user, member context, neighbours
        response = client.get(url, {"q": "an"})
    assert response.status_code == 200
    by_name = {m.user.profile.display_name: m.user_id for m in neighbours}
    assert response.json() == {"items": [
        {"id": by_name["Ana Costa"], "name": "Ana Costa"}, {"id": by_name["Anabel Lee"], "name": "Anabel Lee"},
        {"id": by_name["Joanna Ray"], "name": "Joanna Ray"},
    ]}  # names starting with it first; never the pending member, another community's, or me
    assert client.get(url, {"q": ""}).json() == {"items": []}
    assert client.get(url, {"q": "x" * 41}).status_code == 400


def test_suggestions_of_another_community_are_not_found(client, other_member, community):
    client.force_login(other_member.user)
    response = client.get(f"/communities/{community.slug}/mentions/", {"q": "a"})
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})
