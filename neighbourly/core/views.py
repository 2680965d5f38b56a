from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render

from neighbourly.communities.selectors import community_list, membership_list_for_user
from neighbourly.merchants.selectors import business_owner_exists


def landing(request):
    if request.user.is_authenticated:
        return redirect("core:home")
    return render(request, "core/landing.html", {"communities": community_list()})


@login_required
def home(request):
    """Where a logged-in member belongs: their community, their pending claim, or finding an address."""
    memberships = list(membership_list_for_user(user=request.user))
    verified = [m for m in memberships if m.is_verified]
    if len(verified) == 1 and len(memberships) == 1:
        return redirect("communities:detail", slug=verified[0].community.slug)
    if not memberships:
        if business_owner_exists(user=request.user):  # a merchant who lives elsewhere
            return redirect("merchants:dashboard")
        return redirect("communities:find_address")
    return render(request, "core/home.html", {"memberships": memberships})


def health(request):
    return JsonResponse({"status": "ok"})
