"""Moderators' pages for businesses: the pending queue, postcard codes, decisions, documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from neighbourly.communities.selectors import community_get_for_moderator
from neighbourly.core.documents import CONTENT_TYPES
from neighbourly.core.errors import ApplicationError
from neighbourly.merchants import selectors, services

FAR_M = 5_000  # shown as a warning: the moderator decides


@login_required
@require_GET
def queue(request, slug: str):
    community, _ = community_get_for_moderator(user=request.user, slug=slug)
    rows = selectors.business_queue_for_moderator(community=community)
    return render(request, "merchants/desk.html", {"community": community, "rows": rows, "far_m": FAR_M})


@login_required
@require_POST
def postcard(request, slug: str, business_id: int):
    served = selectors.served_get_for_moderator(viewer=request.user, business_id=business_id, slug=slug)
    try:
        code, expires_at = services.business_postcard_issue(moderator=request.user, business=served.business)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("merchants:desk", slug=slug)
    return render(request, "merchants/desk_postcard.html",
                  {"community": served.community, "business": served.business, "code": code, "expires_at": expires_at})


@login_required
@require_POST
def decide(request, slug: str, business_id: int):
    served = selectors.served_get_for_moderator(viewer=request.user, business_id=business_id, slug=slug)
    approve = request.POST.get("approve") == "1"
    try:
        services.business_decide(moderator=request.user, served=served, approve=approve,
                                 reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        verb = "approved" if approve else "refused"
        messages.success(request, f"{served.business.name} {verb} in {served.community.name}.")
    return redirect("merchants:desk", slug=slug)


@login_required
@require_GET
def document(request, business_id: int):
    """The business's proof document, for moderators of a community it serves only."""
    served = selectors.served_get_for_moderator(viewer=request.user, business_id=business_id, require_single=False)
    business = served.business
    if not business.document:
        raise Http404
    response = FileResponse(business.document.open("rb"), content_type=CONTENT_TYPES.get(business.document_kind,
                                                                                         "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
