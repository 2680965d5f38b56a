import pytest
from playwright.sync_api import expect

from neighbourly.notifications import services
from neighbourly.notifications.models import Kind
from tests.accounts.factories import TEST_PASSWORD, UserFactory
from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_reads_notifications_and_chooses_email_delivery(page):
    user = UserFactory(email="reader@example.org")
    for i in range(2):
        services.notification_send(recipient=user, kind=Kind.REPLY, title=f"Sam replied ({i})", body="See you there")
    log_in(page, "reader@example.org", TEST_PASSWORD)
    page.goto("/notifications/")
    expect(page.get_by_label("2 unread")).to_be_visible()
    expect(page.get_by_text("Sam replied (1)")).to_be_visible()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_label("2 unread")).to_have_count(0)

    page.get_by_label("Replies to my posts and comments").select_option("immediate")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.locator(".messages")).to_contain_text("preferences are saved")
    assert services.delivery_for(user=user, kind=Kind.REPLY) == "immediate"


def test_unsubscribe_link_without_login(page):
    user = UserFactory()
    page.goto(f"/notifications/unsubscribe/{services.unsubscribe_token(user_id=user.id)}/")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("status")).to_contain_text("no longer send you all e-mail")
