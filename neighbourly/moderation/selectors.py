"""Reads for moderation. The queue and the audit log are for a community's moderators (the
caller fetched the community with community_get_for_moderator); the member log is for every
verified member and never carries reporters, authors, moderators' names or the content."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet

from neighbourly.core.pagination import cursor_decode, cursor_encode, keyset_page
from neighbourly.moderation import guidelines as gl
from neighbourly.moderation import targets
from neighbourly.moderation.models import Action, Appeal, AppealStatus, Case, CaseStatus, Report

PAGE_SIZE = 20
REASONS_SHOWN = 5


def _page(queryset, *, cursor: str | None, size: int = PAGE_SIZE) -> tuple[list, str | None]:
    return keyset_page(queryset, keys=("id",), cursor=cursor, size=size)


@dataclass
class QueueItem:
    case: Case
    info: targets.TargetInfo | None
    guidelines: list[dict] = field(default_factory=list)  # [{code, title, count}] distinct reporters each
    reasons: list[str] = field(default_factory=list)  # what reporters wrote, never who


def case_queue(*, community, cursor: str | None = None, size: int = PAGE_SIZE) -> tuple[list[QueueItem], str | None]:
    """Open items, newest first, each in context with its number of distinct reporters.

    Queries: guidelines, cases (with authors), reports of the page, one per content type on it."""
    titles = {g.code: g.title for g in gl.guideline_list(community=community)}
    cases, next_cursor = _page(
        Case.objects.filter(community=community, status=CaseStatus.OPEN).select_related("author__profile"),
        cursor=cursor, size=size,
    )
    infos = targets.describe_many((c.target_type, c.target_id) for c in cases)
    counts: dict[int, dict[str, set]] = {}
    reasons: dict[int, list[str]] = {}
    for case_id, guideline, reason, reporter_id in (
        Report.objects.filter(case__in=cases).order_by("-id").values_list("case_id", "guideline", "reason", "reporter_id")
    ):
        counts.setdefault(case_id, {}).setdefault(guideline, set()).add(reporter_id)
        if reason and len(reasons.setdefault(case_id, [])) < REASONS_SHOWN:
            reasons[case_id].append(reason)
    items = []
    for case in cases:
        by_guideline = counts.get(case.pk, {})
        items.append(QueueItem(
            case=case,
            info=infos.get((case.target_type, case.target_id)),
            guidelines=sorted(
                ({"code": code, "title": titles.get(code, code), "count": len(who)} for code, who in by_guideline.items()),
                key=lambda g: (-g["count"], g["code"]),
            ),
            reasons=reasons.get(case.pk, []),
        ))
    return items, next_cursor


def appeal_queue(*, community) -> QuerySet[Appeal]:
    """Open appeals of a community, oldest first, with the decision appealed and who decides."""
    return (
        Appeal.objects.filter(community=community, status=AppealStatus.PENDING)
        .select_related("action__moderator__profile", "action__subject__profile", "assigned_to__profile")
        .order_by("id")
    )


def action_log_for_members(
    *, community, cursor: str | None = None, size: int = PAGE_SIZE
) -> tuple[list[Action], str | None]:
    """The member-visible log: action, guideline, when, appeal outcome. Two queries per page."""
    qs = (
        Action.objects.filter(community=community)
        .select_related("appeal")
        .only("id", "kind", "target_type", "guideline", "guideline_title", "suspended_until", "created_at",
              "appeal__status", "appeal__decided_at", "appeal__id")
    )
    return _page(qs, cursor=cursor, size=size)


def action_log_for_moderators(
    *, community, cursor: str | None = None, size: int = PAGE_SIZE
) -> tuple[list[Action], str | None]:
    """The moderators' audit log of moderation actions: everything, including content and names."""
    qs = Action.objects.filter(community=community).select_related(
        "moderator__profile", "subject__profile", "case", "appeal__decided_by__profile", "appeal__assigned_to__profile"
    )
    return _page(qs, cursor=cursor, size=size)


def audit_log(*, community, before: str | None = None, size: int = PAGE_SIZE) -> tuple[list[dict], str | None]:
    """Moderation actions, verification decisions and business decisions of a community, newest
    first (three queries). The cursor (core.pagination's codec) carries the time of the last entry seen."""
    from neighbourly.merchants.selectors import business_decision_list_for_moderator
    from neighbourly.verification.selectors import decision_list_for_moderator

    position = cursor_decode(before, types=(datetime,))
    when = position[0] if position else None
    actions = Action.objects.filter(community=community).select_related(
        "moderator__profile", "subject__profile", "case", "appeal__decided_by__profile", "appeal__assigned_to__profile"
    ).order_by("-created_at", "-id")
    decisions = decision_list_for_moderator(community=community).order_by("-created_at", "-id")
    businesses = business_decision_list_for_moderator(community=community)
    if when is not None:
        actions, decisions = actions.filter(created_at__lt=when), decisions.filter(created_at__lt=when)
        businesses = businesses.filter(decided_at__lt=when)
    entries = [{"type": "moderation", "at": a.created_at, "action": a} for a in actions[: size + 1]]
    entries += [{"type": "verification", "at": d.created_at, "decision": d} for d in decisions[: size + 1]]
    entries += [{"type": "business", "at": s.decided_at, "served": s} for s in businesses[: size + 1]]
    entries.sort(key=lambda e: e["at"], reverse=True)
    page = entries[:size]
    next_cursor = cursor_encode(page[-1]["at"]) if len(entries) > size else None
    return page, next_cursor


def decision_for_subject(*, action: Action) -> Action:
    """A decision with its appeal, for the member it concerns."""
    return Action.objects.select_related("community", "appeal").get(pk=action.pk)


def decision_list_for_subject(*, user, community=None) -> QuerySet[Action]:
    qs = Action.objects.filter(subject=user).select_related("community", "appeal").order_by("-id")
    if community is not None:
        qs = qs.filter(community=community)
    return qs


def active_suspension(*, user, community) -> Action | None:
    """The suspend decision behind a member's current suspension, for the page that explains it."""
    return (
        Action.objects.filter(subject=user, community=community, kind="suspend")
        .select_related("appeal").order_by("-id").first()
    )

