"""Each verification method in a real browser, from a newcomer's claim to a verified resident."""

import re

import pytest
from playwright.sync_api import expect

from neighbourly.communities.models import Membership, MembershipStatus
from neighbourly.verification.models import Claim, ClaimStatus
from tests.accounts.factories import TEST_PASSWORD, UserFactory
from tests.browser.conftest import log_in, sign_up
from tests.communities.factories import AddressFactory, CommunityFactory, MembershipFactory
from tests.verification.factories import PDF, make_voucher

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def millbrook():
    community = CommunityFactory(name="Millbrook")
    AddressFactory(community=community, number="2", street="Mill Close", unit="3")
    return community


@pytest.fixture
def moderator_user(millbrook):
    return MembershipFactory(community=millbrook, moderator=True).user


def sign_up_and_claim(page, method_label: str, *, email="sam@example.org"):
    sign_up(page, email)
    page.get_by_label("Your address").fill("flat 3, 2 mill cl")
    page.get_by_label("Your address").press(
        "Enter"
    )  # the search also runs on input; Enter avoids a load race
    page.get_by_role("button", name=re.compile("Flat 3, 2 Mill Close")).click()
    expect(page.get_by_role("heading", name="Your community is Millbrook")).to_be_visible()
    page.get_by_role("button", name=f"Verify with: {method_label}").click()


def expect_verified(page, millbrook):
    expect(page.get_by_role("heading", name="Millbrook")).to_be_visible()
    expect(page.get_by_text("Your neighbourhood")).to_be_visible()
    membership = Membership.objects.get(user__email="sam@example.org", community=millbrook)
    assert membership.status == MembershipStatus.VERIFIED


def test_postcard_newcomer_claims_moderator_prints_newcomer_enters_code(new_page, millbrook, moderator_user):
    newcomer = new_page()
    sign_up_and_claim(newcomer, "Postcard with a code")
    expect(newcomer.get_by_role("heading", name="Enter the code from your postcard")).to_be_visible()

    moderator = new_page()
    log_in(moderator, moderator_user.email, TEST_PASSWORD)
    moderator.goto(f"/communities/{millbrook.slug}/moderation/postcards/")
    expect(moderator.get_by_role("heading", name="1 claim waiting for a card")).to_be_visible()
    with moderator.expect_popup() as popup:
        moderator.get_by_role("button", name="Generate and print cards").click()
    printed = popup.value
    printed.wait_for_load_state()
    card = printed.locator(".postcard")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Sam Newcomer")
    expect(card).to_contain_text("Flat 3, 2 Mill Close")
    code = printed.locator("[data-code]").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", code)
    moderator.reload()
    moderator.get_by_role("button", name=re.compile(r"Mark sent \(batch .*\)")).click()
    expect(moderator.get_by_text("marked as sent")).to_be_visible()

    newcomer.get_by_label("Code from your postcard").fill("WRNG-CODE")
    newcomer.get_by_role("button", name="Check code").click()
    expect(newcomer.get_by_text("That code is not valid")).to_be_visible()
    newcomer.get_by_label("Code from your postcard").fill(code.lower().replace("-", " "))
    newcomer.get_by_role("button", name="Check code").click()
    expect_verified(newcomer, millbrook)


def test_moderator_approves_a_document_claim(new_page, millbrook, moderator_user, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    newcomer = new_page()
    sign_up_and_claim(newcomer, "A document")
    newcomer.get_by_label("Document (PDF, JPEG, PNG or WebP)").set_input_files(
        files=[{"name": "bill.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    newcomer.get_by_role("button", name="Upload document").click()
    expect(newcomer.get_by_text("your document is with the moderators")).to_be_visible()
    expect(newcomer.get_by_text("With the moderators", exact=True)).to_be_visible()

    moderator = new_page()
    log_in(moderator, moderator_user.email, TEST_PASSWORD)
    moderator.goto(f"/communities/{millbrook.slug}/moderation/claims/")
    claim_card = moderator.locator(".desk-claim", has_text="Sam Newcomer")
    expect(claim_card.get_by_role("link", name="View PDF")).to_be_visible()
    claim_card.get_by_label("Reason (the member sees it)").fill("Council tax bill matches")
    claim_card.get_by_role("button", name="Approve").click()
    expect(moderator.get_by_text("Sam Newcomer is now verified.")).to_be_visible()
    claim = Claim.objects.get(user__email="sam@example.org")
    assert (claim.status, claim.document.name) == (ClaimStatus.VERIFIED, "")
    assert list((tmp_path / "private").rglob("*.pdf")) == []

    newcomer.reload()
    expect_verified(newcomer, millbrook)


def test_two_neighbours_vouch_through_the_shared_link(new_page, millbrook):
    newcomer = new_page()
    sign_up_and_claim(newcomer, "Two neighbours vouch")
    link = newcomer.get_by_label("Your vouch link").input_value()
    assert "/verification/vouch/" in link
    for _ in range(2):
        voucher = make_voucher(community=millbrook)
        neighbour = new_page()
        log_in(neighbour, voucher.email, TEST_PASSWORD)
        neighbour.goto(link)
        expect(neighbour.get_by_text("Mill Close")).to_be_visible()
        expect(neighbour.locator("main")).not_to_contain_text("2 Mill Close")
        neighbour.get_by_role("button", name="I vouch for Sam Newcomer").click()
        expect(neighbour.get_by_text("Your vouch is recorded")).to_be_visible()
    newcomer.reload()
    expect_verified(newcomer, millbrook)


def test_location_verifies_where_the_community_trusts_it(new_page, millbrook, browser, live_server):
    millbrook.geolocation_suffices = True
    millbrook.save()
    address = millbrook.addresses.get()
    context = browser.new_context(
        base_url=live_server.url,
        geolocation={"latitude": address.lat + 0.0001, "longitude": address.lon, "accuracy": 15},
        permissions=["geolocation"],
    )
    context.set_default_timeout(10_000)
    try:
        newcomer = context.new_page()
        sign_up_and_claim(newcomer, "My location")
        newcomer.get_by_role("button", name="Use my location").click()
        expect_verified(newcomer, millbrook)
        claim = Claim.objects.get(user__email="sam@example.org")
        assert (claim.geo_accepted, claim.geo_accuracy_m) == (True, 15)
    finally:
        context.close()


def test_property_register_upload_verifies_the_newcomer(new_page, millbrook, moderator_user, tmp_path):
    newcomer = new_page()
    sign_up_and_claim(newcomer, "Property register")
    expect(newcomer.get_by_text("Waiting for evidence")).to_be_visible()

    moderator = new_page()
    log_in(moderator, moderator_user.email, TEST_PASSWORD)
    moderator.goto(f"/communities/{millbrook.slug}/moderation/register/")
    register = tmp_path / "register.csv"
    register.write_text("NUMBER,STREET,UNIT,NAME,EMAIL\n2,Mill Close,3,Sam Newcomer,sam@example.org\n")
    moderator.get_by_label("Register CSV").set_input_files(str(register))
    moderator.get_by_role("button", name="Upload register").click()
    expect(moderator.get_by_text("1 waiting claims verified")).to_be_visible()

    newcomer.reload()
    expect_verified(newcomer, millbrook)
    assert UserFactory._meta.model.objects.filter(email="sam@example.org").count() == 1
