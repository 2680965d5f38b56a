import pytest

from neighbourly.notifications import services
from neighbourly.notifications.models import Kind, Notification
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def make(user, count):
    return [services.notification_send(recipient=user, kind=Kind.REPLY, title=f"n{i}") for i in range(count)]


def test_list_pages_newest_first_without_gaps(api_as):
    user = UserFactory()
    make(user, 45)
    make(UserFactory(), 3)  # someone else's
    client = api_as(user)
    titles, cursor = [], None
    while True:
        body = client.get_json("/notifications", data={"cursor": cursor} if cursor else {}).json()
        titles += [item["title"] for item in body["items"]]
        assert body["unread_count"] == 45
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert titles == [f"n{i}" for i in reversed(range(45))]


def test_list_query_count_is_constant(api_as, django_assert_num_queries):
    user = UserFactory()
    make(user, 3)
    client = api_as(user)
    client.get_json("/notifications")
    with django_assert_num_queries(4):  # session, user, page, unread count
        client.get_json("/notifications")
    make(user, 20)
    with django_assert_num_queries(4):
        client.get_json("/notifications")


def test_mark_read_only_touches_my_notifications(api_as):
    user, other = UserFactory(), UserFactory()
    mine = make(user, 3)
    theirs = make(other, 2)
    response = api_as(user).post_json("/notifications/read", {"up_to_id": theirs[-1].id})
    assert response.json() == {"unread_count": 0}
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 2
    assert mine[0].id < theirs[-1].id


@pytest.mark.parametrize("payload", [{}, {"up_to_id": "x"}, {"up_to_id": -1}])
def test_mark_read_bad_input(api_as, payload):
    assert api_as(UserFactory()).post_json("/notifications/read", payload).status_code == 422


def test_bad_cursor_is_400(api_as, assert_bad_cursor_api):
    response = api_as(UserFactory()).get_json("/notifications", data={"cursor": "!!!"})
    assert response.status_code == 400
    assert_bad_cursor_api(api_as(UserFactory()), "/notifications")


def test_preferences_api(api_as):
    client = api_as(UserFactory())
    prefs = client.get_json("/notifications/preferences").json()
    assert {p["kind"]: p["delivery"] for p in prefs}["reply"] == "digest"
    updated = client.put_json("/notifications/preferences", {"kind": "reply", "delivery": "never"}).json()
    assert {p["kind"]: p["delivery"] for p in updated}["reply"] == "never"
    assert client.put_json("/notifications/preferences", {"kind": "alert", "delivery": "digest"}).status_code == 400
    assert client.put_json("/notifications/preferences", {"kind": "nope", "delivery": "never"}).status_code == 422


def test_anonymous_gets_401(api):
    assert api.get_json("/notifications").status_code == 401
