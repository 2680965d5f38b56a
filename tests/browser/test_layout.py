"""Mobile-first layout: every page fits a 390 px phone; the header is compact; tap targets are big enough.

Set SCREENSHOT_PAGES=/some/dir to also save a full-page screenshot of every page at 390x844 and
1280x800 (`<role>-<url name>-<width>.png`) while the walk goes on, to look at them.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from neighbourly.demo import DEMO_DOMAIN, DEMO_PASSWORD, demo_seed
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import log_in
from tests.browser.sitemap import walk_every_page
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.feed.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SHOTS = os.environ.get("SCREENSHOT_PAGES")


def _fits_the_phone(page, role, item):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if SHOTS:
        folder = Path(SHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{role}-{item.url.strip('/').replace('/', '_') or 'root'}"
        page.screenshot(path=str(folder / f"{name}-390.png"), full_page=True)
        page.set_viewport_size(DESKTOP)
        page.screenshot(path=str(folder / f"{name}-1280.png"), full_page=True)
        page.set_viewport_size(PHONE)
    return widths if widths[0] > widths[1] else None


@pytest.mark.slow
def test_no_page_is_wider_than_a_phone_for_any_role(browser, live_server):
    assert walk_every_page(browser, live_server, PHONE, _fits_the_phone) == {}


def _resident_with_posts(posts=3):
    community = CommunityFactory(name="Millbrook")
    member = MembershipFactory(community=community, verified=True)
    for i in range(posts):
        PostFactory(community=community, author=member.user, author_membership=member, title=f"Post {i}")
    return community, member


def test_phone_header_is_one_compact_row_with_a_menu_button(new_page):
    community, member = _resident_with_posts(0)
    page = new_page(viewport=PHONE)
    log_in(page, member.user.email, TEST_PASSWORD)
    page.goto(f"/communities/{community.slug}/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] < 64
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_have_attribute("aria-controls", "site-nav")
    # Messages and Notifications keep their place (and their unread badges) in the bar; the rest folds away.
    expect(page.get_by_role("link", name="Messages")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications")).to_be_visible()
    groups = page.locator("#site-nav").get_by_role("link", name="Groups & help")
    expect(groups).to_be_hidden()

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(groups).to_be_visible()
    assert groups.bounding_box()["height"] >= 44
    page.screenshot(path="/tmp/shots/mobile/header-open-390.png") if SHOTS else None
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(groups).to_be_hidden()
    expect(menu).to_be_focused()


def test_desktop_header_keeps_one_row_of_links_and_no_menu_button(new_page):
    community, member = _resident_with_posts(0)
    page = new_page(viewport=DESKTOP)
    log_in(page, member.user.email, TEST_PASSWORD)
    page.goto(f"/communities/{community.slug}/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    tops = {round(box["y"]) for box in (li.bounding_box() for li in page.locator("#site-nav > ul > li").all())}
    assert len(tops) == 1
    assert page.locator(".site-header").bounding_box()["height"] < 64


def test_without_javascript_the_menu_and_composer_stay_open(browser, live_server):
    community, member = _resident_with_posts(1)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, member.user.email, TEST_PASSWORD)
        page.goto(f"/communities/{community.slug}/")
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()  # it would do nothing
        expect(page.get_by_role("link", name="Messages")).to_be_visible()
        expect(page.get_by_label("Text")).to_be_visible()
        expect(page.get_by_role("button", name="Post", exact=True)).to_be_visible()
    finally:
        context.close()


def test_composer_is_one_line_until_focused_so_posts_show_on_a_phone(new_page):
    community, member = _resident_with_posts(3)
    page = new_page(viewport=PHONE)
    log_in(page, member.user.email, TEST_PASSWORD)
    page.goto(f"/communities/{community.slug}/")
    assert page.locator("#composer").bounding_box()["height"] < 80
    assert page.locator("article.post").first.bounding_box()["y"] < 500
    expect(page.get_by_label("Text")).to_be_hidden()
    expect(page.get_by_placeholder("Share something with your neighbours…")).to_be_visible()

    page.get_by_placeholder("Share something with your neighbours…").click()
    expect(page.get_by_label("Text")).to_be_visible()
    expect(page.get_by_label("What kind of post?")).to_be_visible()
    expect(page.get_by_role("button", name="Post", exact=True)).to_be_visible()


def test_reaction_and_filter_buttons_are_big_enough_to_tap(new_page):
    community, member = _resident_with_posts(1)
    page = new_page(viewport=PHONE)
    log_in(page, member.user.email, TEST_PASSWORD)
    page.goto(f"/communities/{community.slug}/")
    targets = page.locator("article.post .reactions button, .kind-filter a, .menu-button")
    assert targets.count() > 10
    small = [(t.inner_text(), t.bounding_box()) for t in targets.all() if t.bounding_box()["height"] < 44]
    assert small == []


# Every visible radio and checkbox in <main>: the gap between the box and the start of its label's text.
LABEL_GAPS = """() => [...document.querySelectorAll("main input[type=radio], main input[type=checkbox]")]
  .filter(input => input.offsetParent !== null)
  .map(input => {
    const label = input.labels[0];
    if (!label) return [input.name, "no label"];
    const box = input.getBoundingClientRect();
    const range = document.createRange();
    if (label.contains(input)) { range.setStartAfter(input); range.setEnd(label, label.childNodes.length); }
    else range.selectNodeContents(label);
    const text = [...range.getClientRects()].find(r => r.width > 1);
    return [input.name, Math.round(text.left - box.right), Math.round(Math.abs(text.top - box.top))];
  })"""


def test_radios_and_checkboxes_sit_right_beside_their_labels(new_page):
    from neighbourly.feed.models import Post

    demo_seed()
    page = new_page(viewport=DESKTOP)
    log_in(page, f"resident@{DEMO_DOMAIN}", DEMO_PASSWORD)
    own_post = Post.objects.filter(author__email=f"resident@{DEMO_DOMAIN}", hidden_at__isnull=True).first()
    pages = ["/account/", "/communities/millbrook/groups/", "/communities/millbrook/help/",
             f"/posts/{own_post.id}/edit/", f"/moderation/report/?target_type=post&target_id={own_post.id}"]
    far = {}
    checked = 0
    for url in pages:
        page.goto(url)
        for name, *gap in page.evaluate(LABEL_GAPS):
            checked += 1
            if gap == ["no label"] or not (0 <= gap[0] <= 24 and gap[1] <= 12):
                far[f"{url} {name}"] = gap
    assert checked >= 12
    assert far == {}


# For each label of a form: how far its control sits below it, and how far to the side.
LABEL_TO_CONTROL = """form => [...form.querySelectorAll("label[for]")].map(label => {
  const l = label.getBoundingClientRect(), c = document.getElementById(label.htmlFor).getBoundingClientRect();
  return [label.textContent.trim(), Math.round(c.top - l.bottom), Math.round(Math.abs(c.left - l.left))];
})"""


def test_moderator_decision_form_keeps_each_label_above_its_input_and_speaks_plainly(new_page):
    from neighbourly.communities.models import Community
    from neighbourly.moderation.guidelines import guideline_list

    demo_seed()
    page = new_page(viewport=DESKTOP)
    log_in(page, f"moderator@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/communities/millbrook/moderation/")
    form = page.locator("form.mod-action").first
    placed = form.evaluate(LABEL_TO_CONTROL)
    assert [label for label, *_ in placed] == ["Action", "Guideline", "Suspension (days)", "Reason (the author reads it)"]
    assert [(label, below, aside) for label, below, aside in placed if not (0 <= below <= 12 and aside <= 2)] == []

    item = page.locator("article[id^=item-]").first
    item.get_by_label("Action").select_option("suspend")
    item.get_by_label("Reason (the author reads it)").fill("Rude to a neighbour")
    item.get_by_role("button", name="Decide").click()
    titles = ", ".join(g.title for g in guideline_list(community=Community.objects.get(slug="millbrook")))
    expect(page.locator("main [role=status]")).to_have_text(f"Choose the guideline this is about: {titles}.")

    item = page.locator("article[id^=item-]").first
    item.get_by_label("Action").select_option("suspend")
    item.get_by_label("Guideline").select_option(index=1)
    item.get_by_label("Reason (the author reads it)").fill("Rude to a neighbour")
    item.get_by_role("button", name="Decide").click()
    expect(page.locator("main [role=status]")).to_have_text("A suspension lasts from 1 to 365 days: give the number of days.")
