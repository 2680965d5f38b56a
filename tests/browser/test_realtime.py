"""Two residents chat live in two browser contexts; one drops off the network and catches up."""

import re

import pytest
from playwright.sync_api import expect

from neighbourly.realtime.models import Message
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import log_in
from tests.communities.factories import MembershipFactory
from tests.realtime.live_server import asgi_live_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ws_page(browser, asgi_live_server):  # noqa: F811
    contexts = []

    def make():
        # bypass_csp: wait_for_function polls with string predicates (eval); test_csp.py checks the CSP.
        context = browser.new_context(base_url=asgi_live_server.url, bypass_csp=True, viewport={"width": 1000, "height": 800})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context, context.new_page()

    yield make
    for context in contexts:
        context.close()


def send(page, text):
    page.get_by_label("Message").fill(text)
    page.get_by_role("button", name="Send").click()


def test_two_residents_chat_live_and_catch_up_after_going_offline(ws_page, community):
    alex = MembershipFactory(community=community, verified=True, user__profile__display_name="Alex Morgan")
    margaret = MembershipFactory(community=community, verified=True, user__profile__display_name="Margaret Ellis")
    alex_context, alex_page = ws_page()
    margaret_context, margaret_page = ws_page()
    log_in(alex_page, alex.user.email, TEST_PASSWORD)
    log_in(margaret_page, margaret.user.email, TEST_PASSWORD)

    # Alex starts a conversation from Margaret's name.
    alex_page.goto(f"/messages/new?with={margaret.user_id}")
    alex_page.get_by_role("button", name="Start conversation").click()
    expect(alex_page.get_by_role("heading", name="Margaret Ellis")).to_be_visible()
    room_url = alex_page.url
    send(alex_page, "Hello Margaret, is the hedge trimmer still spare?")

    # Margaret sees it in her list with an unread badge, opens it, and they chat live.
    margaret_page.goto("/messages/")
    expect(margaret_page.locator("main").get_by_text("1 unread", exact=True)).to_be_visible()
    margaret_page.get_by_role("link", name=re.compile("Alex Morgan")).click()
    expect(margaret_page.get_by_text("is the hedge trimmer still spare?")).to_be_visible()
    margaret_page.wait_for_function("window.NeighbourlyRealtime && window.NeighbourlyRealtime.status === 'open'")
    alex_page.wait_for_function("window.NeighbourlyRealtime && window.NeighbourlyRealtime.status === 'open'")
    send(margaret_page, "Yes it is! Come round on Saturday.")
    expect(alex_page.get_by_text("Come round on Saturday.")).to_be_visible()
    send(alex_page, "See you at ten.")
    expect(margaret_page.get_by_text("See you at ten.")).to_be_visible()

    # Margaret's network drops; she sees that she is reconnecting while Alex goes on writing.
    margaret_context.set_offline(True)
    margaret_page.evaluate("window.NeighbourlyRealtime.reconnectNow()")
    expect(margaret_page.get_by_text("Reconnecting…").first).to_be_visible()
    for text in ("I'll bring biscuits.", "And the long extension lead.", "Text me the gate code?"):
        send(alex_page, text)
    expect(alex_page.get_by_text("Text me the gate code?")).to_be_visible()

    # Back online: she reconnects (back-off with jitter), resyncs, and sees exactly what she missed.
    margaret_context.set_offline(False)
    for text in ("I'll bring biscuits.", "And the long extension lead.", "Text me the gate code?"):
        expect(margaret_page.get_by_text(text)).to_be_visible(timeout=25_000)
    expect(margaret_page.locator("[data-messages] [data-seq]")).to_have_count(6)
    seqs = margaret_page.eval_on_selector_all("[data-messages] [data-seq]", "els => els.map(e => +e.dataset.seq)")
    assert seqs == [1, 2, 3, 4, 5, 6]
    assert Message.objects.count() == 6
    assert alex_page.url == room_url
