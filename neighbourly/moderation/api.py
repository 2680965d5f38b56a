from ninja import Query, Router, Status

from neighbourly.communities.selectors import community_get_for_member, community_get_for_moderator
from neighbourly.core.ratelimit import client_ip
from neighbourly.moderation import appeals, presenters, schemas, selectors, services
from neighbourly.moderation.guidelines import guideline_list

router = Router(tags=["moderation"])


@router.post("/reports", response={201: schemas.ReportOut})
def create_report(request, payload: schemas.ReportIn):
    report = services.report_create(
        ip=client_ip(request), reporter=request.auth, target_type=payload.target_type.value, target_id=payload.target_id,
        reason=payload.reason, guideline=payload.guideline,
    )
    return Status(201, report)


@router.get("/communities/{slug}/moderation/guidelines", response=list[schemas.GuidelineOut])
def list_guidelines(request, slug: str):
    community, _ = community_get_for_member(user=request.auth, slug=slug)
    return [vars(g) for g in guideline_list(community=community)]


@router.get("/communities/{slug}/moderation/reports", response=schemas.ModerationQueuePage)
def list_report_queue(request, slug: str, filters: Query[schemas.CursorQuery]):
    community, _ = community_get_for_moderator(user=request.auth, slug=slug)
    items, next_cursor = selectors.case_queue(community=community, cursor=filters.cursor)
    return {"items": [presenters.queue_item(i) for i in items], "next_cursor": next_cursor}


@router.post("/moderation/reports/{item_id}/action", response={201: schemas.ActionOut})
def take_action(request, item_id: int, payload: schemas.ActionIn):
    action = services.action_take(
        moderator=request.auth, case_id=item_id, action=payload.action, reason=payload.reason,
        guideline=payload.guideline, suspend_days=payload.suspend_days,
    )
    return Status(201, {**vars(action), "action": action.kind})


@router.get("/communities/{slug}/moderation/log", response=schemas.LogPage)
def list_moderation_log(request, slug: str, filters: Query[schemas.CursorQuery]):
    community, _ = community_get_for_member(user=request.auth, slug=slug)
    items, next_cursor = selectors.action_log_for_members(community=community, cursor=filters.cursor)
    return {"items": [presenters.log_entry(a) for a in items], "next_cursor": next_cursor}


@router.get("/communities/{slug}/moderation/audit", response=schemas.AuditPage)
def list_audit_log(request, slug: str, filters: Query[schemas.CursorQuery]):
    community, _ = community_get_for_moderator(user=request.auth, slug=slug)
    entries, next_cursor = selectors.audit_log(community=community, before=filters.cursor)
    return {"items": [presenters.audit_entry(e) for e in entries], "next_cursor": next_cursor}


@router.get("/communities/{slug}/moderation/appeals", response=list[schemas.AppealQueueOut])
def list_appeals(request, slug: str):
    community, _ = community_get_for_moderator(user=request.auth, slug=slug)
    return [presenters.appeal_queue_item(a, viewer=request.auth) for a in selectors.appeal_queue(community=community)]


@router.get("/moderation/decisions/{action_id}", response=schemas.ModerationDecisionOut)
def get_decision(request, action_id: int):
    action = appeals.action_get_for_subject(user=request.auth, action_id=action_id)
    return presenters.decision_out(selectors.decision_for_subject(action=action))


@router.post("/moderation/decisions/{action_id}/appeal", response={201: schemas.AppealOut})
def create_appeal(request, action_id: int, payload: schemas.AppealIn):
    return Status(201, appeals.appeal_create(user=request.auth, action_id=action_id, statement=payload.statement))


@router.post("/moderation/appeals/{appeal_id}/decision", response=schemas.AppealOut)
def decide_appeal(request, appeal_id: int, payload: schemas.AppealDecisionIn):
    return appeals.appeal_decide(moderator=request.auth, appeal_id=appeal_id, uphold=payload.uphold,
                                 reason=payload.reason)
