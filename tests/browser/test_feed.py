import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from neighbourly.feed import services
from neighbourly.feed.models import Comment, EventRsvp, PollVote, Post, Reaction
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import log_in
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.feed.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)

XSS = [
    "<script>alert('t')</script>",
    "<img src=x onerror=alert('i')>",
    "\"><svg onload=alert('s')>",
    "javascript:alert('j')",
    "https://example.org/\"onmouseover=\"alert('m')",
    "<iframe src=https://evil.example></iframe>",
]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def photo(path) -> str:
    Image.new("RGB", (320, 240), (30, 120, 200)).save(path, "JPEG")
    return str(path)


def test_resident_posts_photo_neighbour_comments_reacts_votes_rsvps_and_scrolls(new_page, tmp_path):
    community = CommunityFactory(name="Millbrook")
    alice = MembershipFactory(community=community, verified=True)
    bob = MembershipFactory(community=community, verified=True)
    author = MembershipFactory(community=community, verified=True)
    for i in range(45):
        PostFactory(community=community, author=author.user, author_membership=author, title=f"Older post {i:02d}")
    now = timezone.now()
    poll = services.post_create(author=author.user, community=community, kind="poll", title="Litter pick day?",
                                poll_options=["Saturday", "Sunday"])
    event = services.post_create(author=author.user, community=community, kind="event", title="Summer fete",
                                 event=services.EventDetails(now + timedelta(days=3), now + timedelta(days=3, hours=2),
                                                             "The green"))

    page = new_page()
    log_in(page, alice.user.email, TEST_PASSWORD)
    page.goto(f"/communities/{community.slug}/")
    page.get_by_label("Title").fill("Found a blue bicycle")
    page.get_by_label("Text").fill("Outside number 9 since Monday. Is it yours? More: https://example.org/bike")
    page.get_by_label("Photos (up to 4: JPEG, PNG or WebP)").set_input_files(photo(tmp_path / "bike.jpg"))
    page.get_by_role("button", name="Post", exact=True).click()
    card = page.locator("article.post").first
    expect(card).to_contain_text("Found a blue bicycle")
    expect(page.locator("#feed-status")).to_contain_text("Your post is live.")
    expect(card.get_by_role("link", name="https://example.org/bike")).to_have_attribute("rel", "nofollow noopener noreferrer ugc")
    expect(card.locator(".post-images img")).to_have_count(1)
    assert card.locator(".post-images img").evaluate("img => img.decode().then(() => img.naturalWidth)") == 320
    assert page.get_by_label("Title").input_value() == ""  # composer reset, no reload
    post = Post.objects.get(title="Found a blue bicycle")

    other = new_page()
    log_in(other, bob.user.email, TEST_PASSWORD)
    other.goto(f"/communities/{community.slug}/")
    bike = other.locator(f"#post-{post.id}")
    bike.get_by_role("button", name="Thanks").click()
    expect(bike.get_by_role("button", name="Thanks 1")).to_have_attribute("aria-pressed", "true")
    poll_card = other.locator(f"#post-{poll.id}")
    poll_card.get_by_label("Sunday").check()
    poll_card.get_by_role("button", name="Vote").click()
    expect(other.locator(f"#post-{poll.id} .poll-results")).to_contain_text("Sunday 1 vote your vote")
    event_card = other.locator(f"#post-{event.id}")
    event_card.get_by_role("button", name="Going (0)", exact=True).click()
    expect(other.locator(f"#post-{event.id}").get_by_role("button", name="Going (1)", exact=True)).to_have_attribute("aria-pressed", "true")
    other.locator(f"#post-{post.id}").get_by_role("link", name="Found a blue bicycle", exact=True).click()
    other.get_by_label("Add a comment").fill("That's my nephew's! I'll come round.")
    other.get_by_role("button", name="Comment", exact=True).click()
    expect(other.locator(".comment")).to_contain_text("That's my nephew's!")
    other.go_back()
    other.wait_for_load_state()
    # Scroll back through older posts: infinite scroll loads two more pages, with no duplicates.
    for _ in range(6):
        other.mouse.wheel(0, 20000)
        other.wait_for_timeout(300)
    expect(other.get_by_text("You're all caught up.")).to_be_visible()
    titles = other.locator("article.post h3").all_inner_texts()
    assert len(titles) == len(set(titles)) == 48
    assert "Older post 00" in titles

    assert Reaction.objects.get().kind == "thanks"
    assert PollVote.objects.get().option == 1
    assert EventRsvp.objects.get().status == "going"
    assert Comment.objects.get().post_id == post.id


def test_xss_payloads_in_every_text_field_render_as_text(new_page):
    community = CommunityFactory()
    member = MembershipFactory(community=community, verified=True)
    member.user.profile.display_name = XSS[0]
    member.user.profile.save()
    now = timezone.now()
    payload = " ".join(XSS)
    create = dict(author=member.user, community=community, title=XSS[1][:120], body=payload, post_anyway=True)
    post = services.post_create(kind="event", event=services.EventDetails(now, now + timedelta(hours=1), XSS[2]),
                                **create)
    services.post_create(kind="safety", safety=services.SafetyDetails(XSS[5], now), **create)
    poll = services.post_create(kind="poll", poll_options=XSS[:3], **create)
    from neighbourly.feed.selectors import post_get_for_viewer

    services.comment_create(author=member.user, post=post_get_for_viewer(viewer=member.user, post_id=post.id),
                            body=payload)
    requests = []
    page = new_page()
    page.on("request", lambda request: requests.append(request.url))
    log_in(page, member.user.email, TEST_PASSWORD)
    page.goto(f"/communities/{community.slug}/")
    expect(page.locator(f"#post-{poll.id}")).to_contain_text(XSS[0])
    expect(page.locator(f"#post-{post.id} .post-facts")).to_contain_text(XSS[2])
    page.goto(f"/posts/{post.id}/")
    expect(page.locator(".comment-body")).to_contain_text(XSS[3])
    page.wait_for_timeout(300)
    # The `dialog` handler of new_page fails the test if any alert() fired.
    assert page.evaluate("document.querySelectorAll('main script, main iframe, main svg, main img[src=x]').length") == 0
    assert all(url.startswith(page.url.split("/posts/")[0]) for url in requests), requests


def test_composer_keeps_the_chosen_photo_through_a_nudge_and_publishes_it(new_page, tmp_path):
    community = CommunityFactory()
    alice = MembershipFactory(community=community, verified=True)
    page = new_page()
    log_in(page, alice.user.email, TEST_PASSWORD)
    page.goto(f"/communities/{community.slug}/")
    page.get_by_label("Title").fill("Some idiots left litter by the swings")
    page.get_by_label("Photos (up to 4: JPEG, PNG or WebP)").set_input_files(photo(tmp_path / "litter.jpg"))
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator("[data-nudge]")).to_be_visible()
    assert page.get_by_label("Title").input_value() == "Some idiots left litter by the swings"
    assert page.locator("#id_images").evaluate("input => input.files.length") == 1  # the photo survived
    page.get_by_role("button", name="Post anyway").click()
    expect(page.locator("#feed-status")).to_contain_text("Your post is live.")
    post = Post.objects.get(title="Some idiots left litter by the swings")
    assert post.images.count() == 1
    assert page.locator("#id_images").evaluate("input => input.files.length") == 0  # a fresh composer


def test_nearby_post_leads_back_home_and_deleting_asks_first(new_page):
    millbrook = CommunityFactory(name="Millbrook")
    riverside = CommunityFactory(name="Riverside")
    millbrook.nearby.add(riverside)
    riverside.nearby.add(millbrook)
    reader = MembershipFactory(community=millbrook, verified=True)
    writer = MembershipFactory(community=riverside, verified=True)
    nearby_post = PostFactory(community=riverside, author=writer.user, author_membership=writer,
                              title="Bridge closed on Sunday", visibility="nearby")
    mine = PostFactory(community=millbrook, author=reader.user, author_membership=reader, title="Spare compost")

    page = new_page()
    log_in(page, reader.user.email, TEST_PASSWORD)
    page.goto(f"/posts/{nearby_post.id}/")
    page.get_by_role("link", name="← Back to your neighbourhood").click()
    expect(page).to_have_url(re.compile(f"/communities/{millbrook.slug}/"))

    page.goto(f"/posts/{mine.id}/")
    expect(page.get_by_role("button", name="Yes, delete it")).to_be_hidden()
    page.get_by_text("Delete this post…").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator(".messages")).to_contain_text("Your post was deleted.")
    assert not Post.objects.filter(pk=mine.pk).exists()
