from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from neighbourly.communities import selectors, services
from neighbourly.core.errors import NotFound
from neighbourly.core.images import image_response


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
    return redirect("site:community", slug=membership.community.slug)


@login_required
@require_GET
def avatar(request, user_id: int):
    name = selectors.avatar_name_for_viewer(viewer=request.user, user_id=user_id)
    if not name:
        raise Http404
    return image_response(name=name)


@login_required
def community_directory(request, slug: str):
    """Verified neighbours who chose to be listed: display name, and street if they show it."""
    community, _ = selectors.community_get_for_member(user=request.user, slug=slug)
    entries = selectors.directory_list(community=community)
    return render(request, "communities/directory.html", {"community": community, "entries": entries,
                                                         "listed": request.user.profile.in_directory})
