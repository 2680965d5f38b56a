"""Reports and moderators' actions. Appeals are in appeals.py.

Brigading guard: a member's reports on one item are one row (a unique constraint), so each
member counts once; nothing is ever removed by a rule. When an item reaches the community's
threshold of distinct reporters it is hidden pending review, the author is told, and it stays in
the queue for a moderator to decide.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from neighbourly.accounts.models import User
from neighbourly.communities.models import Membership, MembershipStatus
from neighbourly.communities.selectors import community_get_for_moderator
from neighbourly.communities.services import SUSPEND_MAX_DAYS, membership_suspend
from neighbourly.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from neighbourly.core.ratelimit import rate_limit
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.moderation import guidelines as gl
from neighbourly.moderation import targets
from neighbourly.moderation.models import (
    MODERATOR_ACTIONS,
    REASON_MAX,
    Action,
    ActionKind,
    Case,
    CaseStatus,
    Report,
)
from neighbourly.notifications.models import Kind
from neighbourly.notifications.services import notification_send

ALREADY = "You have already reported this. The moderators will look at it."


def _clean_reason(reason: str | None, *, required: bool, what: str = "a reason") -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ApplicationError(f"Give {what}.")
    if len(reason) > REASON_MAX:
        raise ApplicationError(f"Keep it under {REASON_MAX} characters.")
    return reason


def _case_lock(*, community_id: int, target_type: str, target_id: int, author_id: int | None) -> Case:
    """The item's case, created on its first report, locked for this transaction."""
    case = Case.objects.select_for_update().filter(target_type=target_type, target_id=target_id).first()
    if case is not None:
        return case
    try:
        with transaction.atomic():
            case = Case(community_id=community_id, target_type=target_type, target_id=target_id, author_id=author_id)
            full_clean_or_raise(case, exclude=["community", "author"], validate_constraints=False)
            case.save()
    except IntegrityError:  # a concurrent first report created it
        pass
    return Case.objects.select_for_update().get(target_type=target_type, target_id=target_id)


def decision_url(action: Action) -> str:
    return f"/moderation/decisions/{action.pk}/"


@transaction.atomic
def report_create(
    *, reporter, target_type: str, target_id: int, reason: str = "", guideline: str | None = None,
    ip: str | None = None,
) -> Report:
    """A verified member reports something they can see, against one of the community's guidelines."""
    impl = targets.adapter(target_type)
    if impl is None:
        raise ApplicationError(f"You can report: {', '.join(targets.reportable_types())}.")
    if not isinstance(target_id, int) or not 0 < target_id < 2**63:
        raise NotFound()
    community_id = impl.resolve(viewer=reporter, target_id=target_id)  # NotFound if not theirs to see
    if community_id is None:
        raise NotFound()
    items = gl.guideline_list(community=community_id)
    reason = (reason or "").strip()
    if guideline is None and gl.guideline_get(community=None, code=reason, guidelines=items):
        guideline, reason = reason, ""  # a client that sends the guideline code as the reason
    chosen = gl.guideline_get(community=None, code=guideline or "other", guidelines=items)
    if chosen is None:
        raise ApplicationError(f"Choose one of the guidelines: {', '.join(i.title for i in items)}.")
    reason = _clean_reason(reason, required=chosen.code == "other", what="a reason: tell the moderators what is wrong")
    info = impl.describe(ids=[target_id]).get(target_id)
    if Report.objects.filter(reporter=reporter, target_type=target_type, target_id=target_id).exists():
        raise Conflict(ALREADY)
    rate_limit("report", user=reporter, ip=ip)
    case = _case_lock(community_id=community_id, target_type=target_type, target_id=target_id,
                      author_id=info.author_id if info else None)
    report = Report(reporter=reporter, community_id=community_id, case=case, target_type=target_type,
                    target_id=target_id, guideline=chosen.code, reason=reason)
    full_clean_or_raise(report, exclude=["reporter", "community", "case"], validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise Conflict(ALREADY) from exc
    case.reporter_count = Report.objects.filter(case=case).values("reporter").distinct().count()
    case.last_reported_at = timezone.now()
    case.status = CaseStatus.OPEN  # new reports reopen a dismissed item
    case.save(update_fields=["reporter_count", "last_reported_at", "status", "updated_at"])
    threshold = gl.auto_hide_threshold(community=community_id)
    if threshold and case.reporter_count >= threshold and not case.hidden and case.auto_hidden_at is None:
        _auto_hide(case=case, impl=impl, info=info)
    return report


def _auto_hide(*, case: Case, impl, info) -> None:
    impl.hide(target_id=case.target_id)
    case.hidden = True
    case.auto_hidden_at = timezone.now()
    case.save(update_fields=["hidden", "auto_hidden_at", "updated_at"])
    action = Action(
        community_id=case.community_id, case=case, moderator=None, subject_id=case.author_id, kind=ActionKind.AUTO_HIDE,
        target_type=case.target_type, target_id=case.target_id,
        reason=f"Reported by {case.reporter_count} different neighbours; hidden until a moderator has looked at it.",
        content_snapshot=info.text if info else "",
    )
    action.save()
    if case.author_id:
        notification_send(
            recipient=User.objects.get(pk=case.author_id), kind=Kind.MODERATION,
            title=f"Your {case.get_target_type_display().lower()} is hidden while moderators review it",
            body="Several neighbours reported it. Nothing is removed until a moderator decides; you will hear "
                 "what they decide and why.",
            url=decision_url(action),
        )


def _subject_membership(case: Case) -> Membership:
    membership = Membership.objects.filter(
        user_id=case.author_id, community_id=case.community_id,
        status__in=(MembershipStatus.VERIFIED, MembershipStatus.SUSPENDED),
    ).first()
    if membership is None:
        raise ApplicationError("The author is not a member of this community: hide or remove the item instead.")
    return membership


def case_get_for_moderator(*, moderator, case_id: int, lock: bool = False) -> Case:
    """A queue item of a community the user moderates, or NotFound."""
    if not isinstance(case_id, int) or not 0 < case_id < 2**63:
        raise NotFound()
    qs = Case.objects.select_related("community")
    if lock:
        qs = qs.select_for_update(of=("self",))
    case = qs.filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    community_get_for_moderator(user=moderator, slug=case.community.slug)
    return case


ACTION_TITLES = {
    ActionKind.DISMISS: "Reports on your {what} were dismissed",
    ActionKind.HIDE: "Your {what} was hidden by a moderator",
    ActionKind.REMOVE: "Your {what} was removed by a moderator",
    ActionKind.WARN: "A moderator warned you about your {what}",
    ActionKind.SUSPEND: "You are suspended from {community} until {until}",
}


@transaction.atomic
def action_take(
    *, moderator, case_id: int, action: str, reason: str, guideline: str = "", suspend_days: int | None = None
) -> Action:
    """A moderator decides a queue item: dismiss, hide, remove, warn or suspend, with a guideline
    (except for dismiss) and a reason. The author is told what and why, and may appeal once."""
    case = case_get_for_moderator(moderator=moderator, case_id=case_id, lock=True)
    if action not in MODERATOR_ACTIONS:
        raise ApplicationError(f"Choose an action: {', '.join(MODERATOR_ACTIONS)}.")
    reason = _clean_reason(reason, required=True, what="a reason: the author will read it")
    chosen = None
    if action != ActionKind.DISMISS or guideline:
        chosen = gl.guideline_get(community=case.community, code=guideline or "")
        if chosen is None:
            titles = ", ".join(i.title for i in gl.guideline_list(community=case.community))
            raise ApplicationError(f"Choose the guideline this is about: {titles}.")
    until = None
    if action == ActionKind.SUSPEND:
        if not isinstance(suspend_days, int) or not 1 <= suspend_days <= SUSPEND_MAX_DAYS:
            raise ApplicationError(f"A suspension lasts from 1 to {SUSPEND_MAX_DAYS} days: give the number of days.")
        until = timezone.now() + timedelta(days=suspend_days)
    if case.status != CaseStatus.OPEN:
        raise Conflict("This item has already been decided.")
    if case.author_id is not None and case.author_id == moderator.pk:
        raise PermissionDenied("Another moderator has to decide about your own contribution.")
    if action in (ActionKind.WARN, ActionKind.SUSPEND) and case.author_id is None:
        raise ApplicationError("The author has left: hide or remove the item instead.")
    impl = targets.adapter(case.target_type)
    info = impl.describe(ids=[case.target_id]).get(case.target_id) if impl else None
    membership = _subject_membership(case) if action == ActionKind.SUSPEND else None

    record = Action(
        community=case.community, case=case, moderator=moderator, subject_id=case.author_id, kind=action,
        target_type=case.target_type, target_id=case.target_id, guideline=chosen.code if chosen else "",
        guideline_title=chosen.title if chosen else "", reason=reason, suspended_until=until,
        content_snapshot=info.text if info else "",
    )
    full_clean_or_raise(record, exclude=["community", "case", "moderator", "subject"])
    record.save()
    if action in (ActionKind.HIDE, ActionKind.REMOVE, ActionKind.SUSPEND):
        if impl and not case.hidden:
            impl.hide(target_id=case.target_id)
        case.hidden = True
    elif case.hidden and impl:  # dismissed or only a warning: an item hidden by the rule comes back
        impl.unhide(target_id=case.target_id, original=_original_text(case))
        case.hidden = False
    if membership is not None:
        membership_suspend(membership=membership, until=until)
    case.status = CaseStatus.CLOSED
    case.save(update_fields=["hidden", "status", "updated_at"])
    if case.author_id:
        _tell_author(record, case)
    return record


def _original_text(case: Case) -> str:
    """The content as it was before anything hid it (chat messages are blanked when hidden)."""
    first = Action.objects.filter(case=case).exclude(content_snapshot="").order_by("id").first()
    return first.content_snapshot if first else ""


def _tell_author(action: Action, case: Case) -> None:
    what = case.get_target_type_display().lower()
    until = date_format(timezone.localtime(action.suspended_until), "j F Y") if action.suspended_until else ""
    title = ACTION_TITLES[action.kind].format(what=what, community=case.community.name, until=until)
    lines = []
    if action.guideline_title:
        lines.append(f"Guideline: {action.guideline_title}.")
    lines.append(f"Reason: {action.reason}")
    if action.kind != ActionKind.DISMISS:
        lines.append("If you think this is wrong, you may appeal once; another moderator will look at it.")
    notification_send(recipient=User.objects.get(pk=case.author_id), kind=Kind.MODERATION, title=title,
                      body=" ".join(lines), url=decision_url(action))
