"""The member's time zone: chosen on the account page, remembered on the profile and in the
cookie that the middleware reads (see accounts.middleware)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from neighbourly.accounts import services
from neighbourly.accounts.middleware import COOKIE
from neighbourly.core.errors import ApplicationError

ONE_YEAR = 365 * 24 * 3600


@login_required
@require_POST
def time_zone_update(request):
    back = reverse("accounts:settings") + "#time-zone"
    try:
        profile = services.profile_time_zone_set(user=request.user, time_zone=request.POST.get("time_zone", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    response = redirect(back)
    if profile.time_zone:
        response.set_cookie(COOKIE, profile.time_zone, max_age=ONE_YEAR, samesite="Lax",
                            secure=request.is_secure())
        messages.success(request, f"Dates and times are now shown in {profile.time_zone}.")
    else:
        response.delete_cookie(COOKIE, samesite="Lax")  # the browser's own zone is picked up again
        messages.success(request, "Dates and times now follow your device's time zone.")
    return response
