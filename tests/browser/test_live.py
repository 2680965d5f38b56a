"""Live on every page, with two residents in two browser contexts: "N new posts" on the feed,
urgent alerts on any page, the Messages badge, and all of it right after a network drop."""

import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import log_in
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.feed.factories import PostFactory
from tests.realtime.live_server import asgi_live_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("LIVE_SHOTS_DIR")  # set to keep screenshots of the banner and the alert
OPEN = "window.NeighbourlyRealtime && window.NeighbourlyRealtime.status === 'open'"


@pytest.fixture
def resident_page(browser, asgi_live_server):  # noqa: F811
    contexts = []

    def make(membership, viewport=None):
        # bypass_csp: the tests poll page state with wait_for_function, which evaluates strings; the
        # pages' own CSP (no eval) is checked by test_csp.py.
        context = browser.new_context(base_url=asgi_live_server.url, viewport=viewport or {"width": 390, "height": 844},
                                      bypass_csp=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        log_in(page, membership.user.email, TEST_PASSWORD)
        return context, page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def two(community):
    alex = MembershipFactory(community=community, verified=True, user__profile__display_name="Alex Morgan")
    margaret = MembershipFactory(community=community, verified=True, user__profile__display_name="Margaret Ellis")
    return alex, margaret


def live(page, path):
    """Open `path` and wait until the page's socket follows the resident's streams."""
    page.goto(path)
    page.wait_for_function(OPEN)
    page.wait_for_function("document.querySelector('[data-unread-badge]').hasAttribute('data-count')")


def api_post(page, path, data):
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(f"/api/v1{path}", data=data, headers={"X-CSRFToken": csrf})
    assert response.ok, response.text()
    return response.json()


def post(page, community, title, **extra):
    return api_post(page, f"/communities/{community.slug}/posts", {"kind": "general", "title": title, **extra})


def shot(page, name):
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width, height in ((390, 844), (1280, 800)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{SHOTS}/{name}-{width}x{height}.png")
    page.set_viewport_size({"width": 390, "height": 844})


def test_new_posts_banner_counts_others_posts_and_loads_them_in_place(resident_page, community, two):
    alex, margaret = two
    PostFactory(community=community, title="An older post")
    _, alex_page = resident_page(alex)
    _, margaret_page = resident_page(margaret)
    live(alex_page, f"/communities/{community.slug}/")
    live(margaret_page, f"/communities/{community.slug}/")
    alex_page.evaluate("window.notReloaded = true")
    banner = alex_page.locator("[data-live-feed]")
    expect(banner).to_be_hidden()

    post(margaret_page, community, "Free apples on Elm Street")
    post(margaret_page, community, "Lost: grey cat with a blue collar")
    expect(banner).to_have_text("2 new posts")
    expect(margaret_page.locator("[data-live-feed]")).to_be_hidden()  # her own posts are not new to her
    shot(alex_page, "banner")

    banner.click()
    cards = alex_page.locator("#post-list article.post")
    expect(cards).to_have_count(3)
    expect(cards.nth(0)).to_contain_text("Lost: grey cat with a blue collar")
    expect(cards.nth(1)).to_contain_text("Free apples on Elm Street")
    expect(cards.nth(2)).to_contain_text("An older post")
    expect(banner).to_be_hidden()
    expect(alex_page.get_by_text("2 new posts shown.")).to_be_visible()
    assert alex_page.evaluate("window.notReloaded") is True  # in place: the page never reloaded

    # The next one counts from the newest shown: one more, loaded once.
    post(margaret_page, community, "Street party on Saturday")
    expect(banner).to_have_text("1 new post")
    banner.click()
    expect(cards).to_have_count(4)
    expect(cards.nth(0)).to_contain_text("Street party on Saturday")


def test_urgent_alert_reaches_a_neighbour_on_another_page(resident_page, community, two):
    alex, margaret = two
    other = MembershipFactory(community=CommunityFactory(), verified=True)
    _, alex_page = resident_page(alex)
    _, margaret_page = resident_page(margaret)
    _, other_page = resident_page(other)
    live(alex_page, "/groups/")
    live(margaret_page, f"/communities/{community.slug}/")
    live(other_page, "/groups/")

    created = post(margaret_page, community, "Smoke from the empty house at the corner", kind="safety",
                   safety={"where": "Corner of Elm St", "when": timezone.now().isoformat(), "urgent": True})
    alert = alex_page.get_by_role("alert").filter(has_text="Smoke from the empty house")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Urgent alert: Smoke from the empty house at the corner — Corner of Elm St")
    link = alert.get_by_role("link", name="Smoke from the empty house at the corner")
    expect(link).to_have_attribute("href", f"/posts/{created['id']}/")
    shot(alex_page, "alert")
    expect(margaret_page.locator("[data-alert-post]")).to_have_count(0)  # the author is not alerted
    expect(other_page.locator("[data-alert-post]")).to_have_count(0)  # another community hears nothing

    alert.get_by_role("button", name="Dismiss").click()
    expect(alex_page.locator("[data-alert-post]")).to_have_count(0)
    link_page = alex_page
    live(link_page, "/groups/")
    assert link_page.locator("[data-alert-post]").count() == 0  # dismissed alerts do not come back


def test_direct_message_lights_the_messages_badge_on_the_feed_and_reading_clears_it(resident_page, community, two):
    alex, margaret = two
    _, alex_page = resident_page(alex)
    _, margaret_page = resident_page(margaret)
    live(margaret_page, f"/communities/{community.slug}/")
    badge = margaret_page.locator("[data-unread-badge]")
    expect(badge).to_be_hidden()

    # Alex starts a conversation after Margaret's page connected, and writes twice.
    conversation = api_post(alex_page, "/conversations", {"member_ids": [margaret.user_id]})
    for i, body in enumerate(("Hello Margaret!", "Is the ladder still spare?")):
        api_post(alex_page, f"/conversations/{conversation['id']}/messages", {"body": body, "client_id": f"m{i}"})
    expect(badge).to_have_attribute("data-count", "1")  # one unread conversation, however many messages
    expect(margaret_page.get_by_role("link", name="Messages 1 unread conversation")).to_be_visible()
    shot(margaret_page, "badge")

    # A second tab of Margaret's on the feed; she reads the conversation in the first one.
    second = margaret_page.context.new_page()
    live(second, f"/communities/{community.slug}/")
    expect(second.locator("[data-unread-badge]")).to_have_attribute("data-count", "1")  # from the server
    margaret_page.goto(f"/messages/{conversation['id']}/")
    expect(margaret_page.get_by_text("Is the ladder still spare?")).to_be_visible()
    expect(second.locator("[data-unread-badge]")).to_be_hidden()  # read elsewhere: cleared live
    expect(second.locator("[data-unread-badge]")).to_have_attribute("data-count", "0")


def test_after_a_network_drop_posts_and_messages_sent_meanwhile_are_counted(resident_page, community, two):
    alex, margaret = two
    alex_context, alex_page = resident_page(alex)
    _, margaret_page = resident_page(margaret)
    conversation = api_post(margaret_page, "/conversations", {"member_ids": [alex.user_id]})
    live(alex_page, f"/communities/{community.slug}/")
    live(margaret_page, f"/communities/{community.slug}/")
    post(margaret_page, community, "Before the drop")
    banner = alex_page.locator("[data-live-feed]")
    expect(banner).to_have_text("1 new post")

    alex_context.set_offline(True)
    alex_page.evaluate("window.NeighbourlyRealtime.reconnectNow()")
    expect(alex_page.get_by_text("Reconnecting…").first).to_be_visible()
    post(margaret_page, community, "During the drop")
    post(margaret_page, community, "Also during the drop")
    api_post(margaret_page, f"/conversations/{conversation['id']}/messages", {"body": "You there?", "client_id": "x"})
    alex_context.set_offline(False)

    expect(banner).to_have_text("3 new posts", timeout=25_000)  # counted once each, before and after
    expect(alex_page.locator("[data-unread-badge]")).to_have_attribute("data-count", "1")
    banner.click()
    expect(alex_page.locator("#post-list article.post")).to_have_count(3)


def test_notifications_badge_updates_live_on_another_page(resident_page, community, two):
    alex, margaret = two
    moderator = MembershipFactory(community=community, moderator=True)
    own = PostFactory(community=community, author=alex.user, author_membership=alex, title="Selling fireworks")
    _, alex_page = resident_page(alex)
    _, margaret_page = resident_page(margaret)
    _, moderator_page = resident_page(moderator)
    live(alex_page, "/groups/")
    badge = alex_page.locator("[data-notification-badge]")
    expect(badge).to_have_text("")

    api_post(margaret_page, "/reports", {"target_type": "post", "target_id": own.id, "reason": "Not allowed here"})
    queue = moderator_page.request.get(f"/api/v1/communities/{community.slug}/moderation/reports").json()
    guidelines = moderator_page.request.get(f"/api/v1/communities/{community.slug}/moderation/guidelines").json()
    api_post(moderator_page, f"/moderation/reports/{queue['items'][0]['id']}/action",
             {"action": "warn", "reason": "Fireworks sales are not allowed.", "guideline": guidelines[0]["code"]})
    expect(badge).to_have_text("1")  # the `notification` frame made htmx fetch the badge again
