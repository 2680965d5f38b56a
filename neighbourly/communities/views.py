from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from neighbourly.communities import selectors, services
from neighbourly.core.errors import NotFound


@login_required
def find_address(request):
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.address_search(query=query) if query else []
    context = {"query": query, "results": results, "searched": bool(query)}
    template = "communities/find_address.html#address-results" if request.htmx else "communities/find_address.html"
    return render(request, template, context)


@login_required
@require_POST
def choose_address(request):
    try:
        address = selectors.address_get(address_id=int(request.POST.get("address_id", "")))
    except (ValueError, NotFound):
        raise Http404
    membership = services.membership_start(user=request.user, address=address)
    return redirect("communities:detail", slug=membership.community.slug)


@login_required
def community_detail(request, slug: str):
    """A verified member's community home; a pending member's "verify to join" page; else 404."""
    from neighbourly.feed.views import community_feed  # feed owns the verified member's page

    try:
        return community_feed(request, slug=slug)  # verified members: the feed, in five queries
    except NotFound:
        pass  # not a verified member: the pending page below, or 404
    try:
        community = selectors.community_get_public(slug=slug)
    except NotFound:
        raise Http404
    membership = selectors.membership_get(user=request.user, community=community)  # ends an elapsed suspension
    if membership is None:
        raise Http404
    if membership.status == "suspended":
        from neighbourly.moderation.views import suspended_page  # moderation explains the suspension

        return suspended_page(request, community=community, membership=membership)
    if membership.is_verified:  # e.g. a suspension that ended just now
        try:
            return community_feed(request, slug=slug)
        except NotFound:
            return render(request, "communities/detail.html", {"community": community, "membership": membership})
    if not membership.is_verified:
        from neighbourly.verification.views import pending_community  # verification owns the pending page

        return pending_community(request, community=community, membership=membership)
    return render(request, "communities/detail.html", {"community": community, "membership": membership})
