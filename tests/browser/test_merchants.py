"""The merchant loop in a real browser: register, prove the address, approval, publish an offer,
a resident sees it in the feed and claims it, the counter redeems the code, the dashboard counts."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import TEST_PASSWORD, UserFactory
from tests.browser.conftest import log_in
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.feed.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def millbrook():
    return CommunityFactory(name="Millbrook")


def test_register_verify_publish_claim_redeem_count(new_page, millbrook, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    moderator_user = MembershipFactory(community=millbrook, moderator=True).user
    resident = MembershipFactory(community=millbrook, verified=True)
    PostFactory.create_batch(6, community=millbrook, author=resident.user)  # an offer slot after five posts
    owner = UserFactory(profile__display_name="Tom Baker")

    merchant = new_page()
    log_in(merchant, owner.email, TEST_PASSWORD)
    merchant.goto("/merchants/")
    merchant.get_by_role("link", name="Register a business").first.click()
    merchant.get_by_label("Business name").fill("Millbrook Bakery")
    merchant.get_by_label("Category").select_option("food")
    merchant.get_by_label("Business address").fill("1 Market Street")
    merchant.get_by_label("Millbrook").check()
    merchant.get_by_role("button", name="Register").click()
    expect(merchant.get_by_text("Address not verified yet")).to_be_visible()

    moderator = new_page()
    log_in(moderator, moderator_user.email, TEST_PASSWORD)
    moderator.goto(f"/communities/{millbrook.slug}/moderation/businesses/")
    expect(moderator.get_by_role("heading", name="Millbrook Bakery")).to_be_visible()
    with moderator.expect_popup() as popup:
        moderator.get_by_role("button", name="Print a postcard code").click()
    card = popup.value
    card.wait_for_load_state()
    expect(card.locator(".postcard")).to_contain_text("1 Market Street")
    code = card.locator("[data-code]").inner_text().strip()

    merchant.get_by_label("Code from the postcard").fill(code)
    merchant.get_by_role("button", name="Check code").click()
    expect(merchant.get_by_text("Address verified.")).to_be_visible()

    moderator.reload()
    moderator.get_by_role("button", name="Approve in Millbrook").click()
    expect(moderator.get_by_text("Millbrook Bakery approved in Millbrook")).to_be_visible()

    merchant.reload()
    merchant.get_by_role("link", name="Publish an offer").click()
    merchant.get_by_label("Title").fill("Half-price loaves")
    merchant.get_by_label("Details").fill("After 3pm, any loaf.")
    merchant.get_by_label("How many in total").fill("5")
    merchant.get_by_role("button", name="Publish").click()
    expect(merchant.get_by_text("“Half-price loaves” is live.")).to_be_visible()

    neighbour = new_page()
    log_in(neighbour, resident.user.email, TEST_PASSWORD)
    neighbour.goto(f"/communities/{millbrook.slug}/")
    offer_card = neighbour.locator("[data-offer]")
    expect(offer_card).to_have_count(1)
    expect(offer_card).to_contain_text("Local offer")
    expect(offer_card).to_contain_text("Verified business")
    expect(neighbour.locator("[data-business-panel]")).to_contain_text("Millbrook Bakery")
    offer_card.get_by_role("link", name="View offer").click()
    neighbour.get_by_role("button", name="Claim this offer").click()
    claim_code = neighbour.locator("[data-code]").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", claim_code)
    expect(neighbour.get_by_role("img", name=f"QR code for {claim_code}")).to_be_visible()
    neighbour.get_by_role("link", name="My offer codes").click()
    expect(neighbour.get_by_role("heading", name="Half-price loaves")).to_be_visible()
    neighbour.goto(f"/communities/{millbrook.slug}/")
    neighbour.locator("[data-business-panel]").get_by_role("link", name="Millbrook Bakery").click()
    expect(neighbour.get_by_role("heading", name="Millbrook Bakery")).to_be_visible()
    neighbour.get_by_role("button", name="Recommend").click()
    expect(neighbour.locator("[data-recommendations]")).to_have_text("1")
    neighbour.goto(f"/communities/{millbrook.slug}/businesses/")
    expect(neighbour.get_by_text("1 neighbour recommends it (you too)")).to_be_visible()

    merchant.goto("/merchants/")
    merchant.get_by_role("link", name="Counter").click()
    merchant.get_by_label("Claim code").fill(claim_code.lower())
    merchant.get_by_role("button", name="Redeem").click()
    expect(merchant.locator("[data-redeemed]")).to_contain_text(resident.user.profile.display_name)
    merchant.get_by_label("Claim code").fill(claim_code)
    merchant.get_by_role("button", name="Redeem").click()
    expect(merchant.locator("[data-counter-error]")).to_contain_text("already redeemed")

    merchant.goto("/merchants/")
    row = merchant.locator("[data-offer-stats]")
    expect(row.locator("[data-stat=claims]")).to_have_text("1 / 5")
    expect(row.locator("[data-stat=redemptions]")).to_have_text("1")
    assert int(row.locator("[data-stat=impressions]").inner_text()) >= 1
    expect(merchant.get_by_text(f"{resident.user.profile.display_name} claimed")).to_be_visible()


def test_merchant_edits_pauses_and_ends_an_offer_and_the_resident_sees_it(new_page, millbrook, settings, tmp_path):
    from tests.merchants.factories import make_business, make_offer

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    resident = MembershipFactory(community=millbrook, verified=True)
    PostFactory.create_batch(6, community=millbrook, author=resident.user)
    owner = UserFactory(profile__display_name="Tom Baker")
    business = make_business(owner=owner, communities=[millbrook], name="Millbrook Bakery")
    offer = make_offer(business=business, communities=[millbrook], title="Free coffee")
    shots = Path(os.environ.get("SCREENSHOT_DIR", "test-results"))

    merchant = new_page()
    log_in(merchant, owner.email, TEST_PASSWORD)
    merchant.goto("/merchants/")
    merchant.get_by_role("link", name="Edit or pause “Free coffee”").click()
    merchant.get_by_label("Title").fill("Free coffee with any loaf")
    merchant.get_by_role("button", name="Save changes").click()
    expect(merchant.locator(".messages")).to_contain_text("is saved")
    merchant.get_by_role("button", name="Pause the offer").click()
    expect(merchant.locator("[data-offer-status]")).to_have_text("Paused")
    for width, height in ((390, 844), (1280, 800)):
        merchant.set_viewport_size({"width": width, "height": height})
        merchant.screenshot(path=str(shots / f"offer-edit-{width}.png"), full_page=True)

    neighbour = new_page()
    log_in(neighbour, resident.user.email, TEST_PASSWORD)
    neighbour.goto(f"/communities/{millbrook.slug}/")
    expect(neighbour.locator("[data-offer]")).to_have_count(0)
    neighbour.goto(f"/offers/{offer.id}/")
    expect(neighbour.get_by_text("Millbrook Bakery has paused this offer for now.")).to_be_visible()
    expect(neighbour.get_by_role("button", name="Claim this offer")).to_have_count(0)

    merchant.get_by_role("button", name="Resume the offer").click()
    neighbour.goto(f"/communities/{millbrook.slug}/")
    expect(neighbour.locator("[data-offer]")).to_contain_text("Free coffee with any loaf")

    merchant.get_by_text("End the offer now…").click()
    merchant.get_by_role("button", name="Yes, end it").click()
    expect(merchant.locator("[data-offer-status]")).to_have_text("Ended")
    neighbour.goto(f"/offers/{offer.id}/")
    expect(neighbour.get_by_text("This offer is no longer available.")).to_be_visible()

    merchant.goto(f"/businesses/{business.id}/")
    merchant.get_by_role("link", name="Edit details").click()
    merchant.get_by_label("Opening hours").fill("Tue–Sat 7:00–15:00")
    for width, height in ((390, 844), (1280, 800)):
        merchant.set_viewport_size({"width": width, "height": height})
        merchant.screenshot(path=str(shots / f"business-edit-{width}.png"), full_page=True)
    merchant.get_by_role("button", name="Save").click()
    expect(merchant.get_by_text("Tue–Sat 7:00–15:00")).to_be_visible()
