"""In a real browser: a resident reports a post, the moderator hides it with a reason, the author
sees the notice and appeals; the member log shows the decision without reporter or content."""

import pytest
from playwright.sync_api import expect

from neighbourly.feed.models import Post
from neighbourly.moderation.models import Appeal
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import log_in
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.feed.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_report_hide_notice_and_appeal(new_page):
    community = CommunityFactory(name="Millbrook")
    author = MembershipFactory(community=community, verified=True, user__profile__display_name="Ada Author")
    resident = MembershipFactory(community=community, verified=True, user__profile__display_name="Rita Resident")
    moderator = MembershipFactory(community=community, moderator=True, user__profile__display_name="Moe Moderator")
    post = PostFactory(community=community, author=author.user, author_membership=author,
                       title="Watches half price", body="DM me, limited stock")

    reporter = new_page()
    log_in(reporter, resident.user.email, TEST_PASSWORD)
    reporter.goto(f"/posts/{post.pk}/")
    reporter.get_by_text("Report this post").click()
    reporter.get_by_role("link", name="Report it against a community guideline").click()
    reporter.get_by_label("Be honest").check()
    reporter.get_by_label("Anything the moderators should know?").fill("Looks like a scam")
    reporter.get_by_role("button", name="Send report").click()
    expect(reporter.locator(".messages")).to_contain_text("they will not tell anyone it was you")

    mod = new_page()
    log_in(mod, moderator.user.email, TEST_PASSWORD)
    mod.goto(f"/communities/{community.slug}/moderation/")
    item = mod.locator("article.mod-item").first
    expect(item).to_contain_text("Watches half price")
    expect(item.locator("[data-reporters]")).to_have_text("1 neighbour reported this")
    expect(item).not_to_contain_text("Rita Resident")
    item.get_by_label("Action").select_option("hide")
    item.get_by_label("Guideline").select_option("honest")
    item.get_by_label("Reason (the author reads it)").fill("Selling goods belongs on the businesses page")
    item.get_by_role("button", name="Decide").click()
    expect(mod.locator(".messages")).to_contain_text("The author has been told why")
    assert Post.objects.get(pk=post.pk).hidden_at is not None

    ada = new_page()
    log_in(ada, author.user.email, TEST_PASSWORD)
    ada.goto("/notifications/")
    notice = ada.get_by_text("Your post was hidden by a moderator")
    expect(notice).to_be_visible()
    notice.click()
    expect(ada.locator("#decision")).to_contain_text("Selling goods belongs on the businesses page")
    expect(ada.locator("#decision")).to_contain_text("Be honest")
    ada.get_by_label("Why should the decision change?").fill("These are my own old watches, not a shop")
    ada.get_by_role("button", name="Send appeal").click()
    expect(ada.locator("#appeal")).to_contain_text("A moderator will look at it")
    assert Appeal.objects.get().statement == "These are my own old watches, not a shop"

    reporter.goto(f"/communities/{community.slug}/moderation/log/")
    log = reporter.locator("#moderation-log")
    expect(log).to_contain_text("Hidden")
    expect(log).to_contain_text("Be honest")
    expect(log).to_contain_text("Appealed, pending")
    expect(log).not_to_contain_text("Watches half price")
    expect(log).not_to_contain_text("Rita Resident")
