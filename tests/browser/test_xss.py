"""XSS in every user-text field outside the feed (QUALITY.md "Bad input tried"), in a real browser:
groups, help listings, businesses, offers, bios on the profile card, chat (history and live),
report reasons and moderators' reasons. The payloads must show as text; no script runs (the page's dialog handler fails the test),
no element is injected, and nothing is fetched from another host. The feed's own fields are covered
in test_feed.py."""

import pytest
from playwright.sync_api import expect

from neighbourly.groups.help import services as help_services
from neighbourly.groups.services import group_create
from neighbourly.merchants.models import Business
from neighbourly.moderation.models import Action
from neighbourly.moderation.services import action_take, report_create
from neighbourly.realtime.services import chat_message_send, conversation_direct_get_or_create
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import log_in
from tests.browser.test_feed import XSS
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.feed.factories import PostFactory
from tests.merchants.factories import make_business, make_offer
from tests.realtime.live_server import asgi_live_server  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOAD = " ".join(XSS)
INJECTED = "main script, main iframe, main svg[onload], main img[src=x], main [onerror], main [onmouseover]"


def _watch_requests(page) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def _assert_inert(page, base_url: str, requests: list[str]) -> None:
    page.wait_for_timeout(200)  # give any injected handler the chance to fire (the dialog handler fails)
    assert page.evaluate(f"document.querySelectorAll({INJECTED!r}).length") == 0, page.url
    outside = [url for url in requests if not url.startswith(base_url)]
    assert not outside, outside


def test_groups_help_businesses_offers_and_moderation_text_render_as_text(new_page, live_server):
    community = CommunityFactory(name="Millbrook")
    resident = MembershipFactory(community=community, verified=True)
    moderator = MembershipFactory(community=community, moderator=True)
    group = group_create(creator=resident.user, community=community, name=XSS[1][:60], description=PAYLOAD)
    help_services.help_listing_create(actor=resident.user, community=community, kind="offer",
                                      category="errands", description=PAYLOAD, availability=["weekends"])
    business = make_business(communities=[community], name=XSS[0][:80], description=PAYLOAD,
                             opening_hours=XSS[2])
    offer = make_offer(business=business, communities=[community], title=XSS[1][:80], body=PAYLOAD)
    post = PostFactory(community=community, author=resident.user, author_membership=resident, title="Lawnmower")
    report = report_create(reporter=moderator.user, target_type="post", target_id=post.pk, reason=PAYLOAD)
    action_take(moderator=moderator.user, case_id=report.case_id, action="warn", reason=PAYLOAD,
                guideline="be-kind")
    decision = Action.objects.get()

    page = new_page()
    requests = _watch_requests(page)
    log_in(page, resident.user.email, TEST_PASSWORD)
    for url, text in [
        (f"/groups/{group.pk}/", XSS[3]),
        (f"/communities/{community.slug}/groups/", XSS[1][:20]),
        (f"/communities/{community.slug}/help/", XSS[3]),
        (f"/businesses/{business.pk}/", XSS[3]),
        (f"/communities/{community.slug}/businesses/", XSS[0][:20]),
        (f"/offers/{offer.pk}/", XSS[3]),
        (f"/moderation/decisions/{decision.pk}/", XSS[3]),
    ]:
        page.goto(url)
        assert text in page.locator("main").inner_text(), url
        _assert_inert(page, live_server.url, requests)
    page.goto(f"/communities/{community.slug}/")  # the business in the feed's side panel (htmx)
    expect(page.locator("[data-business-panel]")).to_contain_text(XSS[0][:20])
    _assert_inert(page, live_server.url, requests)

    mod = new_page()
    mod_requests = _watch_requests(mod)
    log_in(mod, moderator.user.email, TEST_PASSWORD)
    mod.goto(f"/communities/{community.slug}/moderation/log/")
    _assert_inert(mod, live_server.url, mod_requests)
    resident.user.profile.bio = PAYLOAD
    resident.user.profile.save()
    mod.goto(f"/neighbours/{resident.user_id}/")  # the profile card: bio
    assert XSS[3] in mod.locator("main").inner_text()
    _assert_inert(mod, live_server.url, mod_requests)
    assert Business.objects.filter(pk=business.pk).exists()


def test_chat_history_and_live_messages_render_as_text(browser, asgi_live_server):  # noqa: F811
    community = CommunityFactory(name="Millbrook")
    alex = MembershipFactory(community=community, verified=True, user__profile__display_name=XSS[0][:60])
    margaret = MembershipFactory(community=community, verified=True)
    conversation, _ = conversation_direct_get_or_create(user=alex.user, other_user_id=margaret.user_id)
    chat_message_send(user=alex.user, conversation_id=conversation.pk, body=PAYLOAD)

    contexts = []

    def open_page(user):
        # bypass_csp: wait_for_function polls with string predicates (eval); test_csp.py checks the CSP.
        context = browser.new_context(base_url=asgi_live_server.url, bypass_csp=True)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: pytest.fail(f"unexpected dialog: {dialog.message}"))
        log_in(page, user.email, TEST_PASSWORD)
        return page

    try:
        page = open_page(margaret.user)
        requests = _watch_requests(page)
        page.goto("/messages/")
        _assert_inert(page, asgi_live_server.url, requests)
        page.goto(f"/messages/{conversation.pk}/")
        expect(page.locator("main")).to_contain_text(XSS[3])
        sender = open_page(alex.user)
        sender.goto(f"/messages/{conversation.pk}/")
        for each in (page, sender):
            each.wait_for_function("window.NeighbourlyRealtime && window.NeighbourlyRealtime.status === 'open'")
        sender.get_by_label("Message").fill(XSS[4] + " " + XSS[1] + " sent live")
        sender.get_by_role("button", name="Send").click()
        expect(page.locator("main")).to_contain_text("sent live")  # arrived over the socket, no reload
        _assert_inert(page, asgi_live_server.url, requests)
    finally:
        for context in contexts:
            context.close()
