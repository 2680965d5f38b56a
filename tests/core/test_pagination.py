"""The one cursor codec and keyset paginator (core.pagination)."""

import base64
import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from neighbourly.core.errors import ApplicationError
from neighbourly.core.pagination import InvalidCursor, cursor_decode, cursor_encode, keyset_page
from neighbourly.feed.models import Post
from tests.feed.factories import PostFactory

MESSAGE = "That cursor is not valid; start again from the first page."


def test_values_round_trip_with_their_types():
    when = datetime(2024, 5, 1, 12, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    values = (when, 42, "Bäckerei & Co", date(2024, 5, 1), True, None, 2**63 - 1)
    token = cursor_encode(*values)
    decoded = cursor_decode(token, types=(datetime, int, str, date, bool, type(None), int))
    assert decoded == values
    assert decoded[0].utcoffset() == timedelta(hours=2)  # the timezone is kept, not just the instant
    assert all(c.isalnum() or c in "-_." for c in token)  # safe in a URL as it is


def test_no_cursor_is_the_first_page():
    assert cursor_decode(None, types=(int,)) is None
    assert cursor_decode("", types=(int,)) is None


def test_invalid_cursor_is_a_400_application_error():
    error = InvalidCursor()
    assert isinstance(error, ApplicationError) and error.status_code == 400 and error.message == MESSAGE


def _flip(token: str, index: int) -> str:
    return token[:index] + ("A" if token[index] != "A" else "B") + token[index + 1:]


@pytest.mark.parametrize("bad", [
    "garbage", "!!!", "12", "a.b.c", "." , "x" * 2000,
])
def test_damaged_cursors_raise_invalid_cursor(bad):
    with pytest.raises(InvalidCursor, match="start again from the first page"):
        cursor_decode(bad, types=(int,))


def test_tampered_or_forged_cursors_raise_invalid_cursor():
    token = cursor_encode(datetime(2024, 1, 1, tzinfo=UTC), 7)
    for i in (0, 5, len(token) - 1):  # in the payload or the signature
        with pytest.raises(InvalidCursor):
            cursor_decode(_flip(token, i), types=(datetime, int))
    # A well-formed payload without the signature of this site (someone wrote it themselves).
    forged = base64.urlsafe_b64encode(json.dumps([1]).encode()).decode().rstrip("=") + ".AAAAAAAAAAAAAAAA"
    with pytest.raises(InvalidCursor):
        cursor_decode(forged, types=(int,))


def test_a_cursor_of_another_shape_raises_invalid_cursor():
    token = cursor_encode(datetime(2024, 1, 1, tzinfo=UTC), 7)
    for types in [(int,), (datetime, int, int), (int, int), (datetime, str)]:
        with pytest.raises(InvalidCursor):
            cursor_decode(token, types=types)
    with pytest.raises(InvalidCursor):  # a bool is not an int, an int not a bool
        cursor_decode(cursor_encode(True), types=(int,))


def test_values_a_cursor_cannot_carry_are_refused_when_encoding():
    with pytest.raises(ValueError):
        cursor_encode(2**63)
    with pytest.raises(TypeError):
        cursor_encode(1.5)


# --- the paginator -------------------------------------------------------------------------


@pytest.fixture
def posts(db):
    """Seven posts, five of them at the very same instant: ties the id has to settle."""
    rows = PostFactory.create_batch(7)
    community = rows[0].community
    Post.objects.filter(pk__in=[p.pk for p in rows]).update(community=community)
    base = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    times = [base, base + timedelta(hours=1)] + [base + timedelta(hours=2)] * 5
    for post, when in zip(rows, times, strict=True):
        Post.objects.filter(pk=post.pk).update(created_at=when)
    return Post.objects.filter(community=community)


def _walk(queryset, *, descending, size, keys=("created_at", "id")):
    seen, cursor, pages = [], None, 0
    while True:
        with CaptureQueriesContext(connection) as queries:
            rows, cursor = keyset_page(queryset, keys=keys, cursor=cursor, size=size, descending=descending)
        assert len(queries) == 1  # size + 1 rows, one query, whatever the page
        assert "OFFSET" not in queries[0]["sql"].upper()
        seen += [row.pk for row in rows]
        pages += 1
        if cursor is None:
            return seen, pages


@pytest.mark.parametrize("size", [1, 2, 3, 7, 10])
def test_pages_descending_in_key_order_without_gaps_or_repeats(posts, size):
    expected = list(posts.order_by("-created_at", "-id").values_list("pk", flat=True))
    seen, pages = _walk(posts, descending=True, size=size)
    assert seen == expected
    assert pages == max(1, -(-len(expected) // size))


@pytest.mark.parametrize("size", [1, 2, 4])
def test_pages_ascending_in_key_order_without_gaps_or_repeats(posts, size):
    expected = list(posts.order_by("created_at", "id").values_list("pk", flat=True))
    assert _walk(posts, descending=False, size=size)[0] == expected


def test_a_string_key_pages_by_name_then_id(posts):
    Post.objects.filter(pk__in=list(posts.values_list("pk", flat=True)[:4])).update(title="Same")
    expected = list(posts.order_by("title", "id").values_list("pk", flat=True))
    assert _walk(posts, descending=False, size=2, keys=("title", "id"))[0] == expected


def test_a_cursor_for_another_list_is_refused(posts):
    _rows, cursor = keyset_page(posts, keys=("created_at", "id"), cursor=None, size=2)
    with pytest.raises(InvalidCursor):
        keyset_page(posts, keys=("id",), cursor=cursor, size=2)


def test_fetch_gets_the_ordered_filtered_queryset_and_the_row_count(posts):
    calls = []

    def fetch(queryset, n):
        calls.append(n)
        return list(queryset[:n])

    rows, cursor = keyset_page(posts, keys=("id",), cursor=None, size=3, fetch=fetch)
    assert cursor and calls == [4] and [r.pk for r in rows] == sorted(posts.values_list("pk", flat=True), reverse=True)[:3]
