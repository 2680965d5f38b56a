"""A neighbour's profile card (with Message and Block), and unblocking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from neighbourly.accounts.services import block_delete
from neighbourly.communities.neighbours import neighbour_card
from neighbourly.communities.services import neighbour_block as neighbour_block_create
from neighbourly.core.errors import ApplicationError, NotFound


@login_required
def neighbour_detail(request, user_id: int):
    """The card: a page, or just the card when htmx loads it into another page."""
    card = neighbour_card(viewer=request.user, user_id=user_id)
    template = "communities/neighbour.html#card" if request.htmx else "communities/neighbour.html"
    return render(request, template, {"card": card})


@login_required
@require_POST
def neighbour_block(request, user_id: int):
    try:
        neighbour_block_create(blocker=request.user, blocked_id=user_id)
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Blocked. They can no longer message you, and their posts are hidden from you.")
    return redirect("communities:neighbour", user_id=user_id)


@login_required
@require_POST
def neighbour_unblock(request, user_id: int):
    block_delete(blocker=request.user, blocked_id=user_id)
    messages.success(request, "Unblocked.")
    next_url = request.POST.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("accounts:settings")
