"""In a real browser: a retiree asks for phone help, a student offering tech help is matched, they
accept, chat live, and confirm an hour; and residents create, join and post in a group."""

import re

import pytest
from playwright.sync_api import expect

from neighbourly.groups.models import HoursEntry
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
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _resident(community, name, band):
    membership = MembershipFactory(community=community, verified=True, user__profile__display_name=name)
    membership.user.profile.age_band = band
    membership.user.profile.save()
    return membership


def _post_listing(page, slug, kind_label, description, times):
    page.goto(f"/communities/{slug}/help/")
    page.get_by_label(kind_label).check()
    page.get_by_label("What kind of help?").select_option("tech")
    page.get_by_label("Describe it").fill(description)
    for label in times:
        page.get_by_label(label).check()
    page.get_by_role("button", name="Post and find matches").click()


def test_retiree_and_student_complete_a_help_exchange(ws_page, community):
    margaret = _resident(community, "Margaret Ellis", "80+")
    oliver = _resident(community, "Oliver Grant", "18-24")
    oliver_page, margaret_page = ws_page(), ws_page()
    log_in(oliver_page, oliver.user.email, TEST_PASSWORD)
    log_in(margaret_page, margaret.user.email, TEST_PASSWORD)

    _post_listing(oliver_page, community.slug, "I can help", "Student, patient with phones and tablets",
                  ["Weekday daytime", "Weekends"])
    expect(oliver_page.get_by_role("heading", name=re.compile("Matches for your offer"))).to_be_visible()

    _post_listing(margaret_page, community.slug, "I need help", "Please show me video calls on my new phone",
                  ["Weekday daytime"])
    candidate = margaret_page.locator("[data-candidate]").first
    expect(candidate).to_contain_text("Oliver Grant")
    expect(candidate).to_contain_text("weekday daytime")
    candidate.get_by_role("button", name="Accept and open a chat").click()

    # The chat opens for the pair; they talk live.
    expect(margaret_page.get_by_label("Message")).to_be_visible()
    margaret_page.wait_for_function("window.NeighbourlyRealtime && window.NeighbourlyRealtime.status === 'open'")
    oliver_page.goto("/messages/")
    oliver_page.get_by_role("link", name=re.compile("Help: Tech help")).click()
    oliver_page.wait_for_function("window.NeighbourlyRealtime && window.NeighbourlyRealtime.status === 'open'")
    margaret_page.get_by_label("Message").fill("Could you come on Tuesday morning?")
    margaret_page.get_by_role("button", name="Send").click()
    expect(oliver_page.get_by_text("Could you come on Tuesday morning?")).to_be_visible()
    oliver_page.get_by_label("Message").fill("Yes, see you at ten.")
    oliver_page.get_by_role("button", name="Send").click()
    expect(margaret_page.get_by_text("Yes, see you at ten.")).to_be_visible()

    # Oliver records an hour; Margaret confirms it; both see it.
    oliver_page.goto(f"/communities/{community.slug}/help/")
    oliver_page.locator("[data-my-listings]").get_by_role("link", name=re.compile("^Hours")).click()
    oliver_page.get_by_label("Hours of help").fill("1")
    oliver_page.get_by_role("button", name="Record hours").click()
    expect(oliver_page.locator("[data-pending-hours]")).to_contain_text("waiting for Margaret Ellis")

    margaret_page.goto(f"/communities/{community.slug}/help/")
    margaret_page.locator("[data-my-listings]").get_by_role("link", name=re.compile("^Hours")).click()
    expect(margaret_page.locator("[data-pending-hours]")).to_contain_text("Oliver Grant recorded 1 hours")
    margaret_page.get_by_label("Hours of help").fill("1")
    margaret_page.get_by_role("button", name="Confirm").click()
    expect(margaret_page.locator("[data-confirmed-hours]")).to_have_text("1")
    assert list(HoursEntry.objects.values_list("status", flat=True)) == ["confirmed"]

    oliver_page.goto(f"/communities/{community.slug}/help/")
    expect(oliver_page.locator("[data-hours-given]")).to_have_text("1")


def test_create_join_and_post_in_a_group(ws_page, community):
    sofia = _resident(community, "Sofia Rossi", "25-34")
    ben = _resident(community, "Ben Okafor", "35-49")
    sofia_page, ben_page = ws_page(), ws_page()
    log_in(sofia_page, sofia.user.email, TEST_PASSWORD)
    log_in(ben_page, ben.user.email, TEST_PASSWORD)

    sofia_page.get_by_role("link", name="Groups & help").click()
    sofia_page.get_by_label("Name").fill("Millbrook Gardeners")
    sofia_page.get_by_label("What is it about?").fill("Seed swaps and allotment tips")
    sofia_page.get_by_label("Closed: group moderators approve who joins").check()
    sofia_page.get_by_role("button", name="Start the group").click()
    expect(sofia_page.get_by_role("heading", name="Millbrook Gardeners", exact=True)).to_be_visible()

    # Ben finds it by search, asks to join; Sofia approves; Ben posts.
    ben_page.goto(f"/communities/{community.slug}/groups/")
    ben_page.get_by_label("Search groups").fill("garden")
    ben_page.locator("#group-results").get_by_role("link", name="Millbrook Gardeners").click()
    expect(ben_page.get_by_text("its posts, members and chat are for its members")).to_be_visible()
    ben_page.get_by_role("button", name="Ask to join").click()
    expect(ben_page.locator("[data-pending]")).to_be_visible()

    sofia_page.reload()
    sofia_page.locator("[data-join-requests]").get_by_role("button", name="Approve").click()
    expect(sofia_page.locator("[data-members]")).to_contain_text("Ben Okafor")

    ben_page.reload()
    ben_page.get_by_label("Title").fill("Tomato seedlings to share")
    ben_page.get_by_label("Text").fill("A dozen spare: who wants some?")
    ben_page.get_by_role("button", name="Post", exact=True).click()
    expect(ben_page.locator("[data-group-feed]")).to_contain_text("Tomato seedlings to share")
    expect(ben_page.get_by_role("link", name="Group chat")).to_be_visible()

    # The group's posts stay out of the community feed.
    ben_page.goto(f"/communities/{community.slug}/")
    expect(ben_page.get_by_text("Tomato seedlings to share")).to_have_count(0)
