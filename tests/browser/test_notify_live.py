"""Two residents in two browser contexts: a reply and a mention reach the other live (badge and
list), and the @ autocomplete in the composer picks a neighbour by name."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from neighbourly.notifications.models import Kind, Notification
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import log_in
from tests.communities.factories import MembershipFactory
from tests.feed.factories import PostFactory
from tests.realtime.live_server import asgi_live_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = os.environ.get("NOTIFY_SHOTS_DIR")  # set to keep screenshots of the composer and the list


@pytest.fixture
def ws_page(browser, asgi_live_server):  # noqa: F811
    contexts = []

    def make(viewport=None):
        # bypass_csp: wait_for_function polls with string predicates (eval); test_csp.py checks the CSP.
        context = browser.new_context(base_url=asgi_live_server.url, bypass_csp=True,
                                      viewport=viewport or {"width": 1280, "height": 800})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def live(page):
    page.wait_for_function("window.NeighbourlyRealtime && window.NeighbourlyRealtime.status === 'open'")


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_size['width']}.png")


@pytest.fixture
def residents(community):
    ana = MembershipFactory(community=community, verified=True, user__profile__display_name="Ana Costa")
    ben = MembershipFactory(community=community, verified=True, user__profile__display_name="Ben Ode")
    return ana, ben


def test_a_reply_lights_the_badge_and_the_list_live(ws_page, residents):
    ana, ben = residents
    post = PostFactory(community=ana.community, author=ana.user, author_membership=ana, title="Ladder to lend")
    ana_page, ben_page = ws_page(), ws_page()
    log_in(ana_page, ana.user.email, TEST_PASSWORD)
    log_in(ben_page, ben.user.email, TEST_PASSWORD)
    ana_page.goto("/notifications/")
    live(ana_page)
    expect(ana_page.locator("[data-notification-badge]")).to_have_text("")

    ben_page.goto(f"/posts/{post.id}/")
    ben_page.get_by_label("Add a comment").fill("I could use it on Saturday")
    ben_page.get_by_role("button", name="Comment", exact=True).click()
    expect(ben_page.get_by_text("I could use it on Saturday")).to_be_visible()

    # Without reloading: the header badge counts it and the list shows it, linked to the comment.
    expect(ana_page.get_by_label("1 unread")).to_be_visible()
    item = ana_page.get_by_role("link", name="Ben Ode replied to your post “Ladder to lend”")
    expect(item).to_be_visible()
    expect(ana_page.locator(".notification-body")).to_have_text("I could use it on Saturday")
    item.click()
    expect(ana_page).to_have_url(re.compile(rf"/posts/{post.id}/#comment-\d+$"))
    expect(ana_page.get_by_label("1 unread")).to_have_count(0)  # opening the post read it
    assert Notification.objects.get(kind=Kind.REPLY).read_at is not None


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_mention_picked_from_the_autocomplete_notifies_the_neighbour(ws_page, residents, viewport):
    ana, ben = residents
    MembershipFactory(community=ana.community, verified=True, user__profile__display_name="Anabel Lee")
    ana_page, ben_page = ws_page(viewport), ws_page(viewport)
    log_in(ana_page, ana.user.email, TEST_PASSWORD)
    log_in(ben_page, ben.user.email, TEST_PASSWORD)
    ana_page.goto("/notifications/")
    live(ana_page)

    ben_page.goto(f"/communities/{ben.community.slug}/")
    ben_page.get_by_label("Title").fill("Who has a ladder?")
    text = ben_page.get_by_role("combobox", name="Text")  # the textarea becomes a combobox once focused
    ben_page.get_by_label("Text").click()
    ben_page.keyboard.type("Maybe @ana")
    options = ben_page.get_by_role("listbox", name="Neighbours to mention").get_by_role("option")
    expect(options).to_have_text(["Ana Costa", "Anabel Lee"])
    expect(text).to_have_attribute("aria-expanded", "true")
    expect(options.first).to_have_attribute("aria-selected", "true")
    ben_page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    ben_page.keyboard.press("ArrowUp")
    if SHOTS:
        text.evaluate("el => el.scrollIntoView({block: 'center'})")
        shot(ben_page, "composer-autocomplete")
    ben_page.keyboard.press("Enter")
    expect(text).to_have_value(f"Maybe @[Ana Costa](user:{ana.user_id}) ")
    expect(text).to_have_attribute("aria-expanded", "false")
    ben_page.keyboard.type("has one")
    ben_page.get_by_role("button", name="Post", exact=True).click()

    mention = ben_page.get_by_role("link", name="@Ana Costa")
    expect(mention).to_be_visible()
    expect(mention).to_have_attribute("href", f"/neighbours/{ana.user_id}/")
    expect(ana_page.get_by_label("1 unread")).to_be_visible()
    expect(ana_page.get_by_role("link", name="Ben Ode mentioned you in “Who has a ladder?”")).to_be_visible()
    expect(ana_page.locator(".notification-body")).to_have_text("Maybe @Ana Costa has one")
    shot(ana_page, "notification-list")


def test_a_message_while_elsewhere_is_one_notification_read_by_opening_the_conversation(ws_page, residents):
    ana, ben = residents
    ana_page, ben_page = ws_page(), ws_page()
    log_in(ana_page, ana.user.email, TEST_PASSWORD)
    log_in(ben_page, ben.user.email, TEST_PASSWORD)
    ana_page.goto("/notifications/")
    live(ana_page)

    ben_page.goto(f"/messages/new?with={ana.user_id}")
    ben_page.get_by_role("button", name="Start conversation").click()
    live(ben_page)
    for text in ("Hi Ana", "Is the ladder free on Saturday?"):
        ben_page.get_by_label("Message").fill(text)
        ben_page.get_by_role("button", name="Send").click()
        expect(ben_page.locator(".chat-message:not(.chat-message-pending)").get_by_text(text)).to_be_visible()

    expect(ana_page.get_by_role("link", name="2 new messages from Ben Ode")).to_be_visible()
    expect(ana_page.get_by_label("1 unread")).to_be_visible()  # one item per conversation

    # She opens the conversation in another tab: reading it clears the badge in this one, live.
    reader = ana_page.context.new_page()
    reader.goto(ben_page.url)
    expect(reader.get_by_text("Is the ladder free on Saturday?")).to_be_visible()
    expect(ana_page.get_by_label("1 unread")).to_have_count(0)
    assert Notification.objects.get(kind=Kind.MESSAGE).read_at is not None
