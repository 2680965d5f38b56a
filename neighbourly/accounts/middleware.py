"""Dates and times in the member's own time zone for the whole request: templates (`when`, `ago`,
`day`) and form fields (a datetime-local input is read in that zone).

The zone travels in a cookie that static/js/timezone.js keeps equal to the member's choice on the
account page (Profile.time_zone) or, without a choice, to what the browser reports. Reading a
cookie costs no query, so every page and partial keeps its query budget. An unknown or forged
value is ignored (the server's TIME_ZONE applies)."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

COOKIE = "nb_tz"


def zone_or_none(name: str | None) -> ZoneInfo | None:
    if not name or len(name) > 64:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


class MemberTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = zone_or_none(request.COOKIES.get(COOKIE))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
