"""Group pages: browse/search and create, a group's page (feed, members, mix, requests), and the
htmx actions. Access is checked by the selectors; anything not allowed to be seen is a 404."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from neighbourly.communities.selectors import community_get_for_member, membership_list_for_user
from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.core.forms import form_add_application_error
from neighbourly.core.ratelimit import client_ip
from neighbourly.feed import selectors as feed_selectors
from neighbourly.feed.assembly import feed_page_assemble
from neighbourly.feed.forms import PostForm
from neighbourly.feed.models import PostKind, ReactionKind
from neighbourly.feed.services import NudgeRequired
from neighbourly.groups import selectors, services
from neighbourly.groups.forms import GroupForm

LIST_PAGE = "groups/list.html"
DETAIL_PAGE = "groups/detail.html"


@login_required
@require_GET
def groups_home(request):
    """The nav's "Groups & help": the groups of the member's first verified community."""
    for membership in membership_list_for_user(user=request.user):
        if membership.status == "verified":
            return redirect("groups:list", slug=membership.community.slug)
    messages.info(request, "Groups and the help exchange open once your address is verified.")
    return redirect("site:home")


@login_required
def group_list(request, slug: str):
    community, membership = community_get_for_member(user=request.user, slug=slug)
    form = GroupForm()
    if request.method == "POST":
        form = GroupForm(request.POST)
        if form.is_valid():
            try:
                group = services.group_create(creator=request.user, community=community, **form.cleaned_data)
                return redirect("groups:detail", group_id=group.pk)
            except ApplicationError as exc:
                form_add_application_error(form, exc)
    query = request.GET.get("q", "")
    groups, next_cursor = selectors.group_list_for_community(
        viewer=request.user, community=community, query=query, cursor=request.GET.get("cursor")
    )
    ctx = {
        "community": community, "membership": membership, "groups": groups, "next_cursor": next_cursor,
        "query": query, "form": form,
        "my_groups": selectors.group_list_for_member(viewer=request.user, community=community),
    }
    template = f"{LIST_PAGE}#group-results" if request.htmx and request.method == "GET" else LIST_PAGE
    return render(request, template, ctx, status=400 if form.errors else 200)


def _detail_context(request, group, *, form=None, nudge=None) -> dict:
    ctx = {"group": group, "community": group.community, "reaction_kinds": ReactionKind.choices,
           "kinds": PostKind.choices, "kind": None, "page": None, "members": [], "requests": [], "age_mix": None}
    if group.can_read:
        kind = request.GET.get("kind") if request.GET.get("kind") in PostKind.values else None
        ctx["kind"] = kind
        ctx["page"] = feed_page_assemble(viewer=request.user, context=selectors.group_feed_context(group=group),
                                         cursor=request.GET.get("cursor"), kind=kind)
        ctx["members"] = list(selectors.group_member_list(group=group))
        ctx["age_mix"] = selectors.group_age_mix(group=group)
    if group.is_group_moderator:
        ctx["requests"] = list(selectors.group_join_requests(group=group))
    if group.is_member and not group.is_archived:
        ctx["form"] = form or PostForm()
        ctx["nudge"] = nudge or []
    return ctx


@login_required
@require_GET
def group_detail(request, group_id: int):
    group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
    ctx = _detail_context(request, group)
    template = f"{DETAIL_PAGE}#post-list" if request.htmx and request.GET.get("cursor") else DETAIL_PAGE
    return render(request, template, ctx)


def _back(request, group_id: int, *, error: str | None = None, notice: str | None = None):
    if error:
        messages.error(request, error)
    if notice:
        messages.success(request, notice)
    return redirect("groups:detail", group_id=group_id)


def _group_action(action):
    """POST actions on a group: run the service, then back to the group's page with a message."""

    @login_required
    @require_POST
    @wraps(action)
    def view(request, group_id: int, **kwargs):
        group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
        try:
            notice = action(request, group, **kwargs)
        except NotFound:
            raise
        except ApplicationError as exc:
            return _back(request, group_id, error=exc.message)
        if notice == "left":
            return redirect("groups:list", slug=group.community.slug)
        return _back(request, group_id, notice=notice)

    return view


@_group_action
def group_join(request, group):
    membership = services.group_join(user=request.user, group=group)
    if membership.status == "pending":
        return "You asked to join. The group's moderators will decide."
    return f"Welcome to {group.name}."


@_group_action
def group_leave(request, group):
    services.group_leave(user=request.user, group=group)
    messages.success(request, f"You left {group.name}.")
    return "left"


@_group_action
def group_request_decide(request, group, user_id: int):
    approve = request.POST.get("approve") == "1"
    services.group_request_decide(moderator=request.user, group=group, user_id=user_id, approve=approve)
    return "Request approved." if approve else "Request declined."


@_group_action
def group_moderator_appoint(request, group, user_id: int):
    services.group_moderator_appoint(moderator=request.user, group=group, user_id=user_id)
    return "They are now a group moderator."


@_group_action
def group_member_remove(request, group, user_id: int):
    services.group_member_remove(moderator=request.user, group=group, user_id=user_id)
    return "Member removed."


@_group_action
def group_archive(request, group):
    services.group_archive(moderator=request.user, group=group)
    return "The group is archived: it stays readable, and nothing more can be posted."


@_group_action
def group_post_remove(request, group, post_id: int):
    post = feed_selectors.post_get_for_viewer(viewer=request.user, post_id=post_id)
    services.group_post_remove(moderator=request.user, group=group, post=post)
    return "Post removed from the group."


@login_required
@require_POST
def group_post_create(request, group_id: int):
    group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
    form = PostForm(request.POST, request.FILES)
    nudge = []
    if form.is_valid():
        try:
            services.group_post_create(author=request.user, group=group, images=request.FILES.getlist("images"),
                                       post_anyway=form.cleaned_data["post_anyway"], **form.service_kwargs(), ip=client_ip(request))
            return redirect("groups:detail", group_id=group.pk)
        except NudgeRequired as exc:
            nudge = exc.reasons
        except NotFound:
            raise
        except ApplicationError as exc:
            form_add_application_error(form, exc)
    ctx = _detail_context(request, group, form=form, nudge=nudge)
    return render(request, DETAIL_PAGE, ctx, status=400)
