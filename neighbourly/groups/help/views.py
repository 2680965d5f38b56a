"""Help exchange pages: listings and my listings, a listing's ranked matches, a match (chat link
and hours), the thanks page, and the moderators' proxy log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from neighbourly.communities.models import Role
from neighbourly.communities.selectors import community_get_for_member, community_get_for_moderator
from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.core.forms import form_add_application_error
from neighbourly.groups.forms import AcceptForm, HelpListingForm, HoursForm
from neighbourly.groups.help import selectors, services
from neighbourly.groups.models import HelpCategory, HelpKind


def _listing_form(community, membership, data=None):
    residents = selectors.community_residents(community=community) if membership.role == Role.MODERATOR else None
    return HelpListingForm(data, residents=residents)


@login_required
def help_board(request, slug: str):
    community, membership = community_get_for_member(user=request.user, slug=slug)
    form = _listing_form(community, membership)
    status = 200
    if request.method == "POST":
        form = _listing_form(community, membership, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                listing = services.help_listing_create(
                    actor=request.user, community=community, kind=data["kind"], category=data["category"],
                    description=data["description"], availability=data["availability"],
                    on_behalf_of_id=data.get("on_behalf_of"), reason=data.get("reason", ""),
                )
                messages.success(request, "Your listing is up. Here are the best matches so far.")
                return redirect("groups:matches", listing_id=listing.pk)
            except ApplicationError as exc:
                form_add_application_error(form, exc)
        status = 400
    category = request.GET.get("category") if request.GET.get("category") in HelpCategory.values else None
    kind = request.GET.get("kind") if request.GET.get("kind") in HelpKind.values else None
    listings, next_cursor = selectors.help_listing_list(
        community=community, kind=kind, category=category, cursor=request.GET.get("cursor"))
    ctx = {
        "community": community, "membership": membership, "form": form, "listings": listings,
        "next_cursor": next_cursor, "category": category, "kind": kind, "categories": HelpCategory.choices,
        "mine": selectors.help_listing_list_for_owner(viewer=request.user, community=community),
        "totals": selectors.help_hours_totals(user=request.user, community=community),
        "opted_in": selectors.help_thanks_opted_in(user=request.user, community=community),
        "is_moderator": membership.role == Role.MODERATOR,
    }
    template = "groups/help.html#listing-results" if request.htmx and request.method == "GET" else "groups/help.html"
    return render(request, template, ctx, status=status)


def _listing_for_actor(request, listing_id: int):
    listing = selectors.help_listing_get_for_viewer(viewer=request.user, listing_id=listing_id)
    if not (listing.viewer_is_owner or listing.viewer_is_moderator):
        raise NotFound()
    return listing


@login_required
def help_matches(request, listing_id: int):
    listing = _listing_for_actor(request, listing_id)
    form = AcceptForm()
    if request.method == "POST":
        form = AcceptForm(request.POST)
        if form.is_valid():
            try:
                match = services.help_match_accept(actor=request.user, listing=listing,
                                                   match_id=form.cleaned_data["match_id"],
                                                   reason=form.cleaned_data["reason"])
                messages.success(request, "Matched! A chat is open for the two of you.")
                if match.helper_id == request.user.pk or match.helped_id == request.user.pk:
                    return redirect("realtime:room", conversation_id=match.conversation_id)
                return redirect("groups:help", slug=listing.community.slug)
            except ApplicationError as exc:
                messages.error(request, exc.message)
        else:
            messages.error(request, "That match could not be accepted.")
    ctx = {
        "listing": listing, "community": listing.community,
        "candidates": selectors.help_match_candidates(listing=listing),
        "acting_for": not listing.viewer_is_owner,
        "matches": selectors.help_matches_for_listings(listing_ids=[listing.pk]),
    }
    return render(request, "groups/matches.html", ctx, status=400 if request.method == "POST" else 200)


@login_required
def help_match(request, match_id: int):
    match = selectors.help_match_get_for_party(viewer=request.user, match_id=match_id)
    form = HoursForm()
    status = 200
    if request.method == "POST":
        form = HoursForm(request.POST)
        if form.is_valid():
            try:
                entry = services.help_hours_confirm(user=request.user, match=match,
                                                    hours=form.cleaned_data["hours"])
                messages.success(request, "Thank you: hours confirmed by both of you." if entry.status == "confirmed"
                                 else "Recorded. The other person will be asked to confirm.")
                return redirect("groups:match", match_id=match.pk)
            except ApplicationError as exc:
                form_add_application_error(form, exc)
        status = 400
    match = selectors.help_matches_for_listings(listing_ids=[match.request_id])
    match = next(m for m in match if m.pk == match_id)
    i_am_helper = match.helper_id == request.user.pk
    ctx = {
        "match": match, "form": form, "i_am_helper": i_am_helper,
        "other": match.helped if i_am_helper else match.helper,
        "i_confirmed": match.pending_helper if i_am_helper else match.pending_helped,
        "community": match.request.community,
    }
    return render(request, "groups/match.html", ctx, status=status)


@login_required
def help_thanks(request, slug: str):
    community, _ = community_get_for_member(user=request.user, slug=slug)
    if request.method == "POST":
        services.help_thanks_opt_set(user=request.user, community=community,
                                          opted_in=request.POST.get("opted_in") == "1")
        messages.success(request, "Saved.")
        return redirect("groups:thanks", slug=slug)
    ctx = {
        "community": community, "board": selectors.help_thanks_board(community=community),
        "opted_in": selectors.help_thanks_opted_in(user=request.user, community=community),
    }
    return render(request, "groups/thanks.html", ctx)


@login_required
@require_GET
def proxy_log(request, slug: str):
    community, _ = community_get_for_moderator(user=request.user, slug=slug)
    return render(request, "groups/proxy_log.html",
                  {"community": community, "actions": selectors.proxy_action_log(community=community)})


@login_required
@require_POST
def help_listing_close(request, listing_id: int):
    listing = selectors.help_listing_get_for_viewer(viewer=request.user, listing_id=listing_id)
    try:
        services.help_listing_close(actor=request.user, listing=listing)
        messages.success(request, "Listing closed.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("groups:help", slug=listing.community.slug)
