"""The strict Content-Security-Policy holds on the main pages: a real Chromium reports no violation
(no inline script, style or handler left anywhere), and pages still work under it."""

import pytest
from playwright.sync_api import expect

from neighbourly.feed import services as feed_services
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import log_in
from tests.communities.factories import CommunityFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Registered before any page script runs (DevTools injects it, so the policy does not apply to it).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def watch(page) -> list[str]:
    console = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    return console


def visit(page, path: str, console: list[str]) -> None:
    response = page.goto(path)
    assert response is not None and response.status < 500, path
    assert "script-src 'self'" in response.headers.get("content-security-policy", ""), path
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__csp")
    assert violations == [] and console == [], (path, violations, console)


def test_main_pages_run_without_csp_violations(new_page):
    community = CommunityFactory(name="Millbrook")
    resident = MembershipFactory(community=community, verified=True)
    neighbour = MembershipFactory(community=community, verified=True)
    poll = feed_services.post_create(author=neighbour.user, community=community, kind="poll", title="Litter pick?",
                                     poll_options=["Saturday", "Sunday"])

    page = new_page()
    console = watch(page)
    for path in ("/", "/login/", "/signup/", "/no-such-page/", "/api/v1/docs"):
        visit(page, path, console)
    expect(page.locator("#swagger-ui")).to_contain_text("Neighbourly API")  # the docs work under the policy

    log_in(page, resident.user.email, TEST_PASSWORD)
    for path in (f"/communities/{community.slug}/", f"/posts/{poll.id}/", "/messages/", "/groups/",
                 f"/communities/{community.slug}/help/", "/notifications/", "/account/", "/merchants/"):
        visit(page, path, console)
    page.goto(f"/posts/{poll.id}/")
    page.get_by_label("Sunday").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.locator(".poll-mine .poll-bar")).to_be_attached()
    assert page.evaluate("getComputedStyle(document.querySelector('.poll-mine .poll-bar')).width") != "0px"
    assert page.evaluate("window.__csp") == [] and console == []
