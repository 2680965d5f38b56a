"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium (a laptop with only Python) these tests skip; in CI (CI=true)
a missing browser is a failure, so they can never silently stop running.
"""

import os
from pathlib import Path
import shutil

import pytest

# Playwright's sync API keeps an event loop in the main thread; the ORM calls that
# tests make to arrange data are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "test-results"))


def _is_browser_test(item) -> bool:
    return "tests/browser/" in str(item.fspath).replace(os.sep, "/")


def pytest_collection_modifyitems(config, items):
    """Mark browser tests, and run them last: Playwright's sync API keeps an event loop running
    in the main thread for the session, and asyncio tests cannot start a loop after that."""
    for item in items:
        if _is_browser_test(item):
            item.add_marker(pytest.mark.browser)
    # The whole-site walks (layout, accessibility) seed the demo and visit every page: slowest, last.
    walks = ("tests/browser/test_layout.py", "tests/browser/test_accessibility.py")
    items.sort(key=lambda item: (_is_browser_test(item),
                                 any(w in str(item.fspath).replace(os.sep, "/") for w in walks)))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must install it (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, request):
    """new_page() -> a fresh page in its own browser context (its own cookies), on the live server."""
    contexts = []

    def make(viewport=None):
        context = browser.new_context(base_url=live_server.url, viewport=viewport or {"width": 1100, "height": 800})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: pytest.fail(f"unexpected dialog: {dialog.message}"))
        return page

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, context in enumerate(contexts):
        if failed:
            SCREENSHOTS.mkdir(exist_ok=True)
            for j, page in enumerate(context.pages):
                page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-{i}-{j}.png"), full_page=True)
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def log_in(page, email: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def mailed_path(to: str, pattern: str) -> str:
    """The site path of the newest link matching `pattern` mailed to `to` (Django's outbox is shared
    with the live server, which runs in this process)."""
    import re

    from django.core import mail

    for message in reversed(mail.outbox):
        if to in message.to and (found := re.search(r"https?://[^/\s]+(" + pattern + r")", message.body)):
            return found.group(1)
    raise AssertionError(f"no mail to {to} with a link like {pattern}: {[m.subject for m in mail.outbox]}")


def sign_up(page, email: str, *, display_name="Sam Newcomer", password="a-long-secret-phrase") -> None:
    """Sign up, then open the confirmation link from the mail: confirmed and logged in."""
    from playwright.sync_api import expect

    page.goto("/signup/")
    page.get_by_label("Display name").fill(display_name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    page.goto(mailed_path(email, r"/confirm-email/\S+/"))
    page.get_by_role("button", name="Confirm my e-mail address").click()

