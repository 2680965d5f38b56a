"""One way to show a date or a time, everywhere, in the member's time zone (activated per request
by accounts' MemberTimezoneMiddleware). Installed as a template builtin, so no `{% load %}`.

    {{ post.created_at|when }}   "Today, 14:05" · "Yesterday, 09:10" · "Mon 3 Nov, 14:05" · "3 Nov 2025, 14:05"
    {{ post.created_at|ago }}    "just now" · "5 min ago" · "3 h ago", then as `when`
    {{ claim.decided_at|day }}   "3 Nov 2026"

Each gives a <time> element whose `datetime` is the exact ISO instant, so assistive tech and
scripts read the real value. 24-hour clock, day before month, as the product's en-GB locale.
"""

from datetime import date, datetime, timedelta

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

register = template.Library()


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def when_text(value: datetime, *, now: datetime | None = None) -> str:
    local = _local(value)
    today = _local(now or timezone.now()).date()
    clock = date_format(local, "H:i")
    if local.date() == today:
        return f"Today, {clock}"
    if local.date() == today - timedelta(days=1):
        return f"Yesterday, {clock}"
    if local.date() == today + timedelta(days=1):
        return f"Tomorrow, {clock}"
    if abs((local.date() - today).days) < 180:
        return f"{date_format(local, 'D j M')}, {clock}"
    return f"{date_format(local, 'j M Y')}, {clock}"


def ago_text(value: datetime, *, now: datetime | None = None) -> str:
    now = now or timezone.now()
    seconds = (now - value).total_seconds()
    if -60 < seconds < 60:
        return "just now"
    if 0 < seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if 0 < seconds < 12 * 3600:
        return f"{int(seconds // 3600)} h ago"
    return when_text(value, now=now)


def _time(value, text: str):
    if value in (None, ""):
        return ""
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), text)


@register.filter(is_safe=True)
def when(value):
    """A moment: today/yesterday/tomorrow, this half-year with the weekday, else with the year."""
    if not isinstance(value, datetime):
        return day(value)
    return _time(value, when_text(value))


@register.filter(is_safe=True)
def ago(value):
    """How long ago, for the last twelve hours; then the moment itself."""
    if not isinstance(value, datetime):
        return day(value)
    return _time(value, ago_text(value))


@register.filter(is_safe=True)
def day(value):
    """A calendar day, "3 Nov 2026"."""
    if isinstance(value, datetime):
        return _time(value, date_format(_local(value), "j M Y"))
    if isinstance(value, date):
        return format_html('<time datetime="{}">{}</time>', value.isoformat(), date_format(value, "j M Y"))
    return ""


@register.simple_tag
def server_time_zone() -> str:
    """The zone the server shows times in when the member's is not known (settings.TIME_ZONE)."""
    return settings.TIME_ZONE
