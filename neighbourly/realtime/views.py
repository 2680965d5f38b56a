"""Chat pages: the conversations list, a room, and starting a conversation (a neighbour's name, or
the New message search)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from neighbourly.accounts.selectors import blocked_between
from neighbourly.communities.neighbours import SEARCH_MIN_CHARS, neighbour_search
from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.core.ratelimit import client_ip
from neighbourly.realtime import selectors, services


@login_required
def conversation_list(request):
    conversations = list(selectors.conversation_list_for_user(user=request.user))
    for conversation in conversations:
        conversation.others = [m for m in conversation.active_members if m.user_id != request.user.pk]
        conversation.unread_count = max((conversation.last_seq or 0) - (conversation.my_last_read_seq or 0), 0)
    return render(request, "realtime/list.html", {"conversations": conversations})


@login_required
def conversation_room(request, conversation_id: int):
    conversation = selectors.conversation_get_for_member(user=request.user, conversation_id=conversation_id)
    history = selectors.message_list(viewer=request.user, conversation=conversation)
    members = list(selectors.conversation_members(conversation=conversation))
    others = [m for m in members if m.user_id != request.user.pk]
    blocked = bool(conversation.direct_key) and any(
        blocked_between(a_id=request.user.pk, b_id=m.user_id) for m in others
    )
    return render(
        request,
        "realtime/room.html",
        {
            "conversation": conversation,
            "history": history,
            "others": others,
            "blocked": blocked,
            "first_seq": history[0].seq if history else 0,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation_new(request):
    """GET /messages/new: search the community's verified residents by name (htmx as you type,
    or the plain form); GET ?with=<user id>: confirm; POST with=<user id>: open (or reopen) the
    direct conversation and go to it."""
    raw = request.POST.get("with") if request.method == "POST" else request.GET.get("with")
    if request.method == "POST" or raw is not None:
        if not (raw or "").isdigit():
            raise Http404()
    if request.method == "POST":
        try:
            conversation, _ = services.conversation_direct_get_or_create(user=request.user, other_user_id=int(raw), ip=client_ip(request))
        except NotFound:
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("communities:neighbour", user_id=int(raw))
        return redirect("realtime:room", conversation_id=conversation.pk)
    if raw is not None:
        neighbour = selectors.neighbour_get(user=request.user, other_user_id=int(raw))
        if neighbour is None:
            raise Http404()
        return render(request, "realtime/new.html", {"neighbour": neighbour})
    query = (request.GET.get("q") or "").strip()[:60]
    results = neighbour_search(viewer=request.user, query=query)
    template = "realtime/new.html#results" if request.htmx else "realtime/new.html"
    return render(request, template, {"query": query, "results": results, "min_chars": SEARCH_MIN_CHARS})
