"""Appeals: the author of moderated content may appeal a decision once; a different moderator
decides where the community has one (the one with the fewest open appeals)."""

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from neighbourly.accounts.models import User
from neighbourly.communities.models import Membership, MembershipStatus, Role
from neighbourly.communities.selectors import community_get_for_moderator
from neighbourly.communities.services import membership_suspension_end
from neighbourly.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.moderation import targets
from neighbourly.moderation.models import Action, ActionKind, Appeal, AppealStatus
from neighbourly.moderation.services import _clean_reason, _original_text, decision_url
from neighbourly.notifications.models import Kind
from neighbourly.notifications.services import notification_send

APPEALABLE = (ActionKind.HIDE, ActionKind.REMOVE, ActionKind.WARN, ActionKind.SUSPEND)


def _moderators(community_id: int):
    return User.objects.filter(
        memberships__community_id=community_id, memberships__role=Role.MODERATOR,
        memberships__status=MembershipStatus.VERIFIED, is_active=True,
    )


def _pick_moderator(action: Action):
    """Another moderator than the one who decided, with the fewest open appeals; else the same one."""
    others = (
        _moderators(action.community_id).exclude(pk=action.moderator_id)
        .annotate(open_appeals=Coalesce(Subquery(
            Appeal.objects.filter(assigned_to=OuterRef("pk"), status=AppealStatus.PENDING)
            .values("assigned_to").annotate(n=Count("id")).values("n")[:1]
        ), 0))
        .order_by("open_appeals", "id")
    )
    chosen = others.first()
    if chosen is not None:
        return chosen
    return _moderators(action.community_id).filter(pk=action.moderator_id).first()


def action_get_for_subject(*, user, action_id: int) -> Action:
    """A decision about the user's own content, or NotFound."""
    if not getattr(user, "is_authenticated", False) or not isinstance(action_id, int) or not 0 < action_id < 2**63:
        raise NotFound()
    action = Action.objects.select_related("community").filter(pk=action_id, subject=user).first()
    if action is None:
        raise NotFound()
    return action


@transaction.atomic
def appeal_create(*, user, action_id: int, statement: str) -> Appeal:
    action = action_get_for_subject(user=user, action_id=action_id)
    if action.kind not in APPEALABLE:
        raise ApplicationError("Only a moderator's decision to hide, remove, warn or suspend can be appealed.")
    statement = _clean_reason(statement, required=True, what="your reasons: why should the decision change?")
    if Appeal.objects.filter(action=action).exists():
        raise Conflict("You have already appealed this decision; an appeal is possible once.")
    assigned = _pick_moderator(action)
    appeal = Appeal(action=action, community_id=action.community_id, appellant=user, statement=statement,
                    assigned_to=assigned)
    full_clean_or_raise(appeal, exclude=["action", "community", "appellant", "assigned_to"],
                        validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError as exc:
        raise Conflict("You have already appealed this decision; an appeal is possible once.") from exc
    if assigned is not None:
        notification_send(recipient=assigned, kind=Kind.MODERATION, title="An appeal waits for you",
                          body=f"A member appeals a decision in {action.community.name}.",
                          url=f"/communities/{action.community.slug}/moderation/")
    return appeal


def appeal_get_for_moderator(*, moderator, appeal_id: int, lock: bool = False) -> Appeal:
    if not isinstance(appeal_id, int) or not 0 < appeal_id < 2**63:
        raise NotFound()
    qs = Appeal.objects.select_related("action", "community")
    if lock:
        qs = qs.select_for_update(of=("self",))
    appeal = qs.filter(pk=appeal_id).first()
    if appeal is None:
        raise NotFound()
    community_get_for_moderator(user=moderator, slug=appeal.community.slug)
    return appeal


@transaction.atomic
def appeal_decide(*, moderator, appeal_id: int, uphold: bool, reason: str) -> Appeal:
    """Uphold or overturn. Overturning puts hidden content back and ends a suspension."""
    appeal = appeal_get_for_moderator(moderator=moderator, appeal_id=appeal_id, lock=True)
    reason = _clean_reason(reason, required=True, what="a reason: the member will read it")
    if appeal.status != AppealStatus.PENDING:
        raise Conflict("This appeal has already been decided.")
    action = appeal.action
    if moderator.pk == action.moderator_id and _moderators(action.community_id).exclude(pk=moderator.pk).exists():
        raise PermissionDenied("Another moderator decides appeals against your own decisions.")
    if moderator.pk == action.subject_id:
        raise PermissionDenied("Another moderator decides your own appeal.")
    appeal.status = AppealStatus.UPHELD if uphold else AppealStatus.OVERTURNED
    appeal.decided_by = moderator
    appeal.decision_reason = reason
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=["status", "decided_by", "decision_reason", "decided_at", "updated_at"])
    if not uphold:
        _overturn(action)
    if appeal.appellant_id:
        outcome = "upheld" if uphold else "overturned"
        notification_send(
            recipient=User.objects.get(pk=appeal.appellant_id), kind=Kind.MODERATION,
            title=f"Your appeal was decided: the decision is {outcome}", body=f"Reason: {reason}",
            url=decision_url(action),
        )
    return appeal


def _overturn(action: Action) -> None:
    case = action.case
    if case is not None and case.hidden and action.kind in (ActionKind.HIDE, ActionKind.REMOVE, ActionKind.SUSPEND):
        impl = targets.adapter(case.target_type)
        if impl is not None:
            impl.unhide(target_id=case.target_id, original=_original_text(case))
        case.hidden = False
        case.save(update_fields=["hidden", "updated_at"])
    if action.kind == ActionKind.SUSPEND and action.subject_id:
        membership = Membership.objects.filter(user_id=action.subject_id, community_id=action.community_id).first()
        if membership is not None:
            membership_suspension_end(membership=membership)
