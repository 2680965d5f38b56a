"""The project shell's pages: the start page, and where a logged-in member belongs."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render

from neighbourly.communities.models import MembershipStatus
from neighbourly.communities.selectors import community_list, membership_get_by_slug, membership_list_for_user
from neighbourly.communities.services import membership_suspension_lift_if_elapsed
from neighbourly.core.errors import NotFound
from neighbourly.feed.views import community_feed
from neighbourly.merchants.selectors import business_owner_exists
from neighbourly.moderation.views import suspended_page
from neighbourly.verification.views import pending_community


def landing(request):
    if request.user.is_authenticated:
        return redirect("site:home")
    return render(request, "site/landing.html", {"communities": community_list()})


@login_required
def home(request):
    """Where a logged-in member belongs: their community, their pending claim, or finding an address."""
    memberships = list(membership_list_for_user(user=request.user))
    verified = [m for m in memberships if m.is_verified]
    if len(verified) == 1 and len(memberships) == 1:
        return redirect("site:community", slug=verified[0].community.slug)
    if not memberships:
        if business_owner_exists(user=request.user):  # a merchant who lives elsewhere
            return redirect("merchants:dashboard")
        return redirect("communities:find_address")
    return render(request, "site/home.html", {"memberships": memberships})


@login_required
def community_home(request, slug: str):
    """A community's address: the feed for a verified member, why not for a suspended one, the
    "verify to join" page for a pending one; 404 for anyone else (the community's name is public,
    its page is not)."""
    try:
        return community_feed(request, slug=slug)  # a verified member: the feed, in five queries
    except NotFound:
        pass  # anyone else: their own membership says which page, or 404
    community, membership = membership_get_by_slug(user=request.user, slug=slug)  # NotFound: the 404 page
    if membership.suspension_elapsed:  # the read reports an ended suspension; the page lifts it
        membership_suspension_lift_if_elapsed(membership=membership)
    if membership.status == MembershipStatus.SUSPENDED:
        return suspended_page(request, community=community, membership=membership)
    if membership.status == MembershipStatus.PENDING:
        return pending_community(request, community=community, membership=membership)
    return community_feed(request, slug=slug)  # verified after all: a suspension that ended just now


def health(request):
    return JsonResponse({"status": "ok"})
