"""Two residents in two browser contexts: a conversation started from a name on the feed and from
"New message" reaches the other's Messages live; a block stops messages."""

import re

import pytest
from playwright.sync_api import expect

from neighbourly.accounts.models import Block
from neighbourly.realtime.models import Message
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import log_in
from tests.communities.factories import MembershipFactory
from tests.feed.factories import PostFactory
from tests.realtime.live_server import asgi_live_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_pages(browser, asgi_live_server):  # noqa: F811
    contexts = []

    def make(viewport=None):
        # bypass_csp: wait_for_function polls with string predicates (eval); test_csp.py checks the CSP.
        context = browser.new_context(base_url=asgi_live_server.url, bypass_csp=True, viewport=viewport or {"width": 1100, "height": 800})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def residents(community):
    alex = MembershipFactory(community=community, verified=True, user__profile__display_name="Alex Morgan")
    margaret = MembershipFactory(community=community, verified=True, user__profile__display_name="Margaret Ellis")
    return alex, margaret


def socket_open(page):
    page.wait_for_function("window.NeighbourlyRealtime && window.NeighbourlyRealtime.status === 'open'")


def send(page, text):
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_role("button", name="Send").click()


def test_start_a_conversation_from_a_name_on_the_feed(two_pages, residents, community):
    alex, margaret = residents
    PostFactory(community=community, author=margaret.user, author_membership=margaret, title="Hedge trimmer to lend")
    alex_page, margaret_page = two_pages(), two_pages()
    log_in(alex_page, alex.user.email, TEST_PASSWORD)
    log_in(margaret_page, margaret.user.email, TEST_PASSWORD)
    margaret_page.goto("/messages/")
    expect(margaret_page.get_by_text("No conversations yet.")).to_be_visible()
    socket_open(margaret_page)

    alex_page.goto(f"/communities/{community.slug}/")
    alex_page.locator(".post", has_text="Hedge trimmer to lend").get_by_role("link", name="Margaret Ellis").click()
    expect(alex_page.get_by_role("heading", name="Margaret Ellis", level=1)).to_be_visible()
    expect(alex_page.get_by_text(margaret.address.street)).to_be_visible()
    alex_page.get_by_role("button", name="Message", exact=True).click()
    expect(alex_page.get_by_role("heading", name="Margaret Ellis")).to_be_visible()
    assert re.search(r"/messages/\d+/$", alex_page.url)
    socket_open(alex_page)
    send(alex_page, "Could I borrow the hedge trimmer?")
    expect(alex_page.locator("[data-seq='1']")).to_contain_text("Could I borrow the hedge trimmer?")

    # Margaret never reloads: her Messages list shows the new conversation with the message, unread.
    item = margaret_page.locator("[data-conversation]", has_text="Alex Morgan")
    expect(item).to_contain_text("Could I borrow the hedge trimmer?")
    expect(item).to_contain_text("1 unread")
    socket_open(margaret_page)
    send(alex_page, "Saturday morning?")
    expect(item).to_contain_text("2 unread")
    expect(item).to_contain_text("Saturday morning?")


def test_new_message_search_then_block_stops_messages(two_pages, residents, community):
    alex, margaret = residents
    MembershipFactory(community=community, verified=True, user__profile__display_name="Marcus Hale")
    alex_page, margaret_page = two_pages(), two_pages()
    log_in(alex_page, alex.user.email, TEST_PASSWORD)
    log_in(margaret_page, margaret.user.email, TEST_PASSWORD)
    margaret_page.goto("/messages/")
    socket_open(margaret_page)

    alex_page.goto("/messages/")
    alex_page.get_by_role("link", name="New message").click()
    alex_page.get_by_label("Neighbour's name").press_sequentially("marg", delay=30)
    results = alex_page.locator("#neighbour-results")
    expect(results.get_by_role("button", name="Message Margaret Ellis")).to_be_visible()
    expect(results).not_to_contain_text("Marcus Hale")
    results.get_by_role("button", name="Message Margaret Ellis").click()
    expect(alex_page.get_by_role("heading", name="Margaret Ellis")).to_be_visible()
    socket_open(alex_page)
    send(alex_page, "Hello from the New message search")
    item = margaret_page.locator("[data-conversation]", has_text="Alex Morgan")
    expect(item).to_contain_text("Hello from the New message search")
    expect(item).to_contain_text("1 unread")

    # Margaret opens the conversation, then Alex's card from his name, and blocks him.
    item.get_by_role("link").click()
    expect(margaret_page.get_by_text("Hello from the New message search")).to_be_visible()
    margaret_page.locator("[data-messages]").get_by_role("link", name="Alex Morgan").click()
    margaret_page.get_by_text("Block", exact=True).click()
    margaret_page.get_by_role("button", name="Yes, block Alex Morgan").click()
    expect(margaret_page.get_by_text("You blocked Alex Morgan")).to_be_visible()
    assert Block.objects.filter(blocker=margaret.user, blocked=alex.user).exists()

    # Alex's next message is refused, on the page he already has open.
    send(alex_page, "Are you there?")
    expect(alex_page.get_by_role("alert").filter(has_text="You cannot send messages to this neighbour.")).to_be_visible()
    assert list(Message.objects.values_list("body", flat=True)) == ["Hello from the New message search"]
    alex_page.reload()
    expect(alex_page.get_by_text("one of you blocked the other")).to_be_visible()
    expect(alex_page.get_by_role("button", name="Send")).to_be_hidden()

    # Unblocking from Margaret's account page lets them talk again.
    margaret_page.goto("/account/")
    margaret_page.get_by_role("button", name="Unblock Alex Morgan").click()
    expect(margaret_page.get_by_text("You have not blocked anyone.")).to_be_visible()
    assert Block.objects.exists() is False
