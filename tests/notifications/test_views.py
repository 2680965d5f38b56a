import pytest

from neighbourly.notifications import services
from neighbourly.notifications.models import Kind, Notification
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_page_lists_notifications_and_marks_read(client):
    user = UserFactory()
    last = [services.notification_send(recipient=user, kind=Kind.REPLY, title=f"Reply {i}", url="/home/")
            for i in range(3)][-1]
    services.notification_send(recipient=UserFactory(), kind=Kind.REPLY, title="Not yours")
    client.force_login(user)
    page = client.get("/notifications/")
    assert page.status_code == 200
    assert b"Reply 2" in page.content and b"Not yours" not in page.content
    assert client.get("/notifications/badge/").content.strip().startswith(b'<span class="count-badge"')
    client.post("/notifications/read/", {"up_to_id": last.id})
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 0
    assert client.get("/notifications/badge/").content.strip() == b""


def test_preferences_form(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/notifications/preferences/", {"delivery-reply": "immediate", "delivery-alert": "never"})
    assert services.delivery_for(user=user, kind=Kind.REPLY) == "immediate"
    response = client.post("/notifications/preferences/", {"delivery-alert": "digest"}, follow=True)
    assert b"sent straight away or not e-mailed at all" in response.content
    assert services.delivery_for(user=user, kind=Kind.ALERT) == "never"


def test_a_bad_cursor_shows_the_first_page_with_a_message(client, assert_bad_cursor_page):
    user = UserFactory()
    services.notification_send(recipient=user, kind=Kind.REPLY, title="Reply 1")
    client.force_login(user)
    assert "Reply 1" in assert_bad_cursor_page(client, "/notifications/").content.decode()


def test_a_bad_cursor_when_loading_more_sends_htmx_to_the_first_page(client):
    client.force_login(UserFactory())
    response = client.get("/notifications/", {"cursor": "not-a-cursor"}, headers={"HX-Request": "true"})
    assert (response.status_code, response["HX-Redirect"]) == (204, "/notifications/")
