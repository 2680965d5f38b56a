"""One date and time format (`when`, `ago`, `day`), in the active (member's) time zone."""

from datetime import date, datetime, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone

from neighbourly.core.templatetags.when import ago_text, when_text

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=dt_timezone.utc)


def test_when_names_today_yesterday_tomorrow_then_weekday_then_year():
    assert when_text(NOW - timedelta(hours=2), now=NOW) == "Today, 07:30"
    assert when_text(NOW - timedelta(days=1), now=NOW) == "Yesterday, 09:30"
    assert when_text(NOW + timedelta(days=1), now=NOW) == "Tomorrow, 09:30"
    assert when_text(NOW - timedelta(days=5), now=NOW) == "Fri 27 Nov, 09:30"
    assert when_text(NOW - timedelta(days=400), now=NOW) == "28 Oct 2025, 09:30"


def test_ago_is_relative_for_twelve_hours_then_a_moment():
    assert ago_text(NOW - timedelta(seconds=20), now=NOW) == "just now"
    assert ago_text(NOW - timedelta(minutes=7), now=NOW) == "7 min ago"
    assert ago_text(NOW - timedelta(hours=3, minutes=5), now=NOW) == "3 h ago"
    assert ago_text(NOW - timedelta(days=2), now=NOW) == "Mon 30 Nov, 09:30"


def test_the_members_zone_decides_the_day_and_the_clock():
    late = datetime(2026, 12, 1, 23, 30, tzinfo=dt_timezone.utc)
    with timezone.override(ZoneInfo("Asia/Tokyo")):  # already 08:30 on the 2nd there
        assert when_text(late, now=NOW) == "Today, 08:30"
    with timezone.override(ZoneInfo("America/New_York")):
        assert when_text(late, now=NOW) == "Yesterday, 18:30"


def test_filters_render_a_time_element_with_the_exact_instant():
    html = Template("{{ moment|when }} · {{ moment|day }} · {{ d|day }} · {{ missing|when }}").render(
        Context({"moment": NOW, "d": date(2026, 12, 24), "missing": None}))
    assert f'<time datetime="{NOW.isoformat()}">' in html
    assert '<time datetime="2026-12-24">24 Dec 2026</time>' in html
    assert html.endswith(" · ")  # nothing for a missing value
