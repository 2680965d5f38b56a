"""Moderation pages: report, the moderators' queue, the decision a member appeals, the logs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from neighbourly.communities.selectors import community_get_for_member, community_get_for_moderator
from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.core.ratelimit import client_ip
from neighbourly.moderation import appeals, presenters, selectors, services, targets
from neighbourly.moderation.guidelines import guideline_list
from neighbourly.moderation.models import MODERATOR_ACTIONS, ActionKind


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
def home(request):
    """Where the nav link leads: per community, the log and directory, and the desk for moderators."""
    from neighbourly.communities.selectors import membership_list_for_user

    memberships = [m for m in membership_list_for_user(user=request.user) if m.is_verified]
    return render(request, "moderation/home.html", {"memberships": memberships})


@login_required
def report(request):
    """Report a post, comment, message, group, business or offer against a guideline."""
    source = request.POST if request.method == "POST" else request.GET
    target_type, target_id = source.get("target_type", ""), _int(source.get("target_id"))
    impl = targets.adapter(target_type)
    if impl is None:
        raise Http404
    community_id = impl.resolve(viewer=request.user, target_id=target_id)
    back = _safe_next(request, "/")
    error, status = None, 200
    if request.method == "POST":
        try:
            services.report_create(reporter=request.user, target_type=target_type, target_id=target_id,
                                   reason=request.POST.get("reason", ""), guideline=request.POST.get("guideline"), ip=client_ip(request))
        except ApplicationError as exc:
            error, status = exc.message, exc.status_code if exc.status_code != 404 else 400
        else:
            messages.success(request, "Thank you. The moderators will look at it; they will not tell anyone it was you.")
            return redirect(back)
    context = {
        "target_type": target_type, "target_id": target_id, "next": back, "error": error,
        "guidelines": guideline_list(community=community_id),
        "chosen": request.POST.get("guideline", ""), "reason": request.POST.get("reason", ""),
        "label": dict(targets.TargetType.choices)[target_type].lower(),
    }
    return render(request, "moderation/report.html", context, status=status)


@login_required
def queue(request, slug: str):
    community, _ = community_get_for_moderator(user=request.user, slug=slug)
    items, next_cursor = selectors.case_queue(community=community, cursor=request.GET.get("cursor"))
    context = {
        "community": community,
        "items": [presenters.queue_item(i) for i in items],
        "next_cursor": next_cursor,
        "appeals": [presenters.appeal_queue_item(a, viewer=request.user)
                    for a in selectors.appeal_queue(community=community)],
        "guidelines": guideline_list(community=community),
        "actions": [(a.value, a.label) for a in ActionKind if a in MODERATOR_ACTIONS],
    }
    return render(request, "moderation/queue.html", context)


@login_required
@require_POST
def take_action(request, item_id: int):
    suspend_days = request.POST.get("suspend_days") or None
    try:
        action = services.action_take(
            moderator=request.user, case_id=item_id, action=request.POST.get("action", ""),
            reason=request.POST.get("reason", ""), guideline=request.POST.get("guideline", ""),
            suspend_days=int(suspend_days) if suspend_days and suspend_days.isdigit() else suspend_days,
        )
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Done: {action.get_kind_display().lower()}. The author has been told why.")
    return redirect(_safe_next(request, "/"))


@login_required
@require_POST
def decide_appeal(request, appeal_id: int):
    try:
        appeal = appeals.appeal_decide(moderator=request.user, appeal_id=appeal_id,
                                       uphold=request.POST.get("outcome") == "uphold",
                                       reason=request.POST.get("reason", ""))
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Appeal decided: {appeal.get_status_display().lower()}.")
    return redirect(_safe_next(request, "/"))


@login_required
def decision(request, action_id: int):
    """What happened to my content and why; appeal it once."""
    action = appeals.action_get_for_subject(user=request.user, action_id=action_id)
    error, status = None, 200
    if request.method == "POST":
        try:
            appeals.appeal_create(user=request.user, action_id=action.pk, statement=request.POST.get("statement", ""))
        except ApplicationError as exc:
            error, status = exc.message, exc.status_code
        else:
            messages.success(request, "Your appeal is with a moderator. You will hear what they decide.")
            return redirect(reverse("moderation:decision", kwargs={"action_id": action.pk}))
    context = {"decision": presenters.decision_out(selectors.decision_for_subject(action=action)),
               "community": action.community, "error": error, "statement": request.POST.get("statement", "")}
    return render(request, "moderation/decision.html", context, status=status)


@login_required
def log(request, slug: str):
    community, _ = community_get_for_member(user=request.user, slug=slug)
    items, next_cursor = selectors.action_log_for_members(community=community, cursor=request.GET.get("cursor"))
    context = {"community": community, "entries": [presenters.log_entry(a) for a in items], "next_cursor": next_cursor}
    return render(request, "moderation/log.html", context)


@login_required
def audit(request, slug: str):
    community, _ = community_get_for_moderator(user=request.user, slug=slug)
    entries, next_cursor = selectors.audit_log(community=community, before=request.GET.get("cursor"))
    context = {"community": community, "entries": [presenters.audit_entry(e) for e in entries],
               "next_cursor": next_cursor}
    return render(request, "moderation/audit.html", context)


def suspended_page(request, *, community, membership):
    """Shown instead of the community to a suspended member (called by the community page)."""
    action = selectors.active_suspension(user=request.user, community=community)
    context = {"community": community, "membership": membership,
               "decision": presenters.decision_out(action) if action else None}
    return render(request, "moderation/suspended.html", context, status=403)
