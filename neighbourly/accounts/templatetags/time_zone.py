from functools import cache
from zoneinfo import available_timezones

from django import template

register = template.Library()


@cache
def _zones() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


@register.inclusion_tag("accounts/_time_zone.html", takes_context=True)
def time_zone_form(context):
    user = context["user"]
    return {"zones": _zones(), "current": user.profile.time_zone, "csrf_token": context.get("csrf_token")}
