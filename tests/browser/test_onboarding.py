import re

import pytest
from playwright.sync_api import expect

from neighbourly.communities.models import Membership, MembershipStatus
from tests.browser.conftest import mailed_path, sign_up
from tests.communities.factories import AddressFactory, CommunityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_newcomer_signs_up_finds_loosely_written_address_and_sees_community(page):
    community = CommunityFactory(name="Millbrook")
    AddressFactory(community=community, number="14", street="Elm Street", unit="2")
    AddressFactory(community=community, number="14", street="Elm Street", unit="3")

    page.goto("/")
    page.get_by_role("link", name="Join your neighbourhood").click()
    page.get_by_label("Display name").fill("Sam Newcomer")
    page.get_by_label("E-mail address").fill("sam@example.org")
    page.get_by_label("Password").fill("a-long-secret-phrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    expect(page.get_by_text("sam@example.org")).to_be_visible()

    page.goto(mailed_path("sam@example.org", r"/confirm-email/\S+/"))
    page.get_by_role("button", name="Confirm my e-mail address").click()
    expect(page.get_by_text("Your e-mail address is confirmed")).to_be_visible()
    expect(page.get_by_role("heading", name="Where do you live?")).to_be_visible()
    page.wait_for_load_state("load")  # the search updates as you type once htmx has loaded
    page.get_by_label("Your address").fill("14 elm st., flat 2")
    result = page.get_by_role("button", name=re.compile("Flat 2, 14 Elm Street"))
    expect(result).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Flat 3"))).to_have_count(0)
    result.click()

    expect(page.get_by_role("heading", name="Your community is Millbrook")).to_be_visible()
    membership = Membership.objects.get(user__email="sam@example.org")
    assert (membership.community_id, membership.status) == (community.id, MembershipStatus.PENDING)


def test_unknown_address_gets_a_helpful_message(page):
    CommunityFactory()
    sign_up(page, "kim@example.org", display_name="Kim")
    page.wait_for_url("**/find-address/")
    page.wait_for_load_state("load")
    page.get_by_label("Your address").fill("999 Nowhere Road")
    expect(page.get_by_text("We couldn't find that address")).to_be_visible()


def test_signup_with_common_password_shows_error_and_creates_nothing(page):
    page.goto("/signup/")
    page.get_by_label("Display name").fill("Kim")
    page.get_by_label("E-mail address").fill("kim@example.org")
    page.get_by_label("Password").fill("password123")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text("too common")
    from neighbourly.accounts.models import User

    assert User.objects.filter(email="kim@example.org").exists() is False
