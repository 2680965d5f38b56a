"""Account recovery and settings as a person does them, reading the mail from Django's outbox."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import TEST_PASSWORD, UserFactory
from tests.browser.conftest import log_in, mailed_path
from tests.communities.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("TRUST_SHOTS")  # a folder: also save screenshots of the pages at two sizes


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{page.viewport_size['width']}.png", full_page=True)


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_forgotten_password_from_the_login_page_to_logging_in_with_the_new_one(new_page, viewport, settings):
    user = MembershipFactory(verified=True, user__email="ana@example.org").user
    page = new_page(viewport=viewport)
    for _ in range(settings.AXES_FAILURE_LIMIT):  # locked out by guessing
        log_in(page, user.email, "a-wrong-guess")
    expect(page.get_by_text("Too many failed attempts")).to_be_visible()

    page.goto("/login/")
    _shot(page, "login")
    page.get_by_role("link", name="Forgot your password?").click()
    _shot(page, "password-reset")
    page.get_by_label("E-mail address").fill("ana@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    _shot(page, "password-reset-sent")

    path = mailed_path("ana@example.org", r"/password-reset/\S+/\S+/")
    page.goto(path)
    _shot(page, "password-reset-confirm")
    page.get_by_label("New password").fill("password123")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("alert")).to_contain_text("too common")
    page.get_by_label("New password").fill("my-new-garden-gate")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()

    log_in(page, "ana@example.org", "my-new-garden-gate")
    expect(page.get_by_role("link", name="Log in")).to_have_count(0)
    page.goto(path)
    expect(page.get_by_text("not valid")).to_be_visible()  # the link worked once
    _shot(page, "password-reset-used")


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_signup_confirmation_link_logs_in(new_page, viewport):
    page = new_page(viewport=viewport)
    page.goto("/signup/")
    page.get_by_label("Display name").fill("Lee")
    page.get_by_label("E-mail address").fill("lee@example.org")
    page.get_by_label("Password").fill("a-long-secret-phrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    _shot(page, "signup-check-inbox")
    page.goto(mailed_path("lee@example.org", r"/confirm-email/\S+/"))
    _shot(page, "confirm-email")
    page.get_by_role("button", name="Confirm my e-mail address").click()
    expect(page.get_by_role("heading", name="Where do you live?")).to_be_visible()
    assert UserFactory._meta.model.objects.get(email="lee@example.org").email_confirmed


def test_settings_change_password_and_email(new_page):
    user = UserFactory(email="kai@example.org", email_confirmed_at=None)
    page = new_page(viewport={"width": 390, "height": 844})
    log_in(page, user.email, TEST_PASSWORD)
    page.goto("/account/")
    expect(page.get_by_text("Not confirmed yet")).to_be_visible()
    _shot(page, "settings")
    page.get_by_label("Current password").fill(TEST_PASSWORD)
    page.get_by_label("New password").fill("another-long-phrase")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()

    page.get_by_label("New e-mail address").fill("kai.new@example.org")
    page.get_by_label("Your password, to confirm").first.fill("another-long-phrase")
    page.get_by_role("button", name="Change e-mail address").click()
    expect(page.get_by_text("Check your inbox at kai.new@example.org")).to_be_visible()
    page.goto(mailed_path("kai.new@example.org", r"/confirm-email/\S+/"))
    page.get_by_role("button", name="Confirm my e-mail address").click()
    page.goto("/account/")
    expect(page.get_by_text("kai.new@example.org (confirmed)")).to_be_visible()
