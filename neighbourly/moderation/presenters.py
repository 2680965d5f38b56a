"""Rows to plain dicts, shared by the API and the pages (one place decides what each audience sees)."""

from neighbourly.moderation.appeals import APPEALABLE
from neighbourly.moderation.models import Action, ActionKind


def _name(user) -> str | None:
    return user.profile.display_name if user is not None else None


def queue_item(item) -> dict:
    case, info = item.case, item.info
    return {
        "id": case.pk,
        "target_type": case.target_type,
        "target_type_label": case.get_target_type_display(),
        "target_id": case.target_id,
        "title": info.title if info else None,
        "text": info.text if info else None,
        "url": (info.url or None) if info else None,
        "author": _name(case.author),
        "reporter_count": case.reporter_count,
        "guidelines": item.guidelines,
        "reasons": item.reasons,
        "hidden": case.hidden,
        "auto_hidden_at": case.auto_hidden_at,
        "last_reported_at": case.last_reported_at,
    }


def _appeal_status(action: Action) -> str | None:
    appeal = getattr(action, "appeal", None) if hasattr(action, "appeal") else None
    return appeal.status if appeal is not None else None


def log_entry(action: Action) -> dict:
    """Member log: what, which guideline, when, appeal outcome. Nothing about who or the content."""
    days = None
    if action.suspended_until:
        days = max(1, round((action.suspended_until - action.created_at).total_seconds() / 86400))
    return {
        "id": action.pk,
        "action": action.kind,
        "action_label": action.get_kind_display(),
        "target_type": action.target_type,
        "target_type_label": action.get_target_type_display(),
        "guideline": action.guideline,
        "guideline_title": action.guideline_title,
        "suspension_days": days,
        "created_at": action.created_at,
        "appeal": _appeal_status(action),
    }


def _appeal_dict(appeal) -> dict | None:
    if appeal is None:
        return None
    return {
        "status": appeal.status, "statement": appeal.statement, "assigned_to": _name(appeal.assigned_to),
        "decided_by": _name(appeal.decided_by), "decision_reason": appeal.decision_reason,
        "decided_at": appeal.decided_at.isoformat() if appeal.decided_at else None,
    }


def audit_entry(entry: dict) -> dict:
    if entry["type"] == "moderation":
        a = entry["action"]
        return {
            "type": "moderation", "id": a.pk, "at": a.created_at, "actor": _name(a.moderator),
            "subject": _name(a.subject), "action": a.kind, "action_label": a.get_kind_display(),
            "target_type": a.target_type, "target_id": a.target_id, "guideline": a.guideline_title or None,
            "reason": a.reason, "content": a.content_snapshot or None,
            "reporter_count": a.case.reporter_count if a.case_id else None,
            "appeal": _appeal_dict(getattr(a, "appeal", None) if hasattr(a, "appeal") else None),
        }
    if entry["type"] == "business":
        s = entry["served"]
        return {
            "type": "business", "id": s.pk, "at": s.decided_at, "actor": _name(s.decided_by),
            "subject": s.business.name, "action": s.status,
            "action_label": f"Business {s.get_status_display().lower()}", "target_type": "business",
            "target_id": s.business_id, "guideline": None, "reason": s.reason, "content": None,
            "reporter_count": None, "appeal": None,
        }
    d = entry["decision"]
    return {
        "type": "verification", "id": d.pk, "at": d.created_at, "actor": _name(d.actor),
        "subject": d.claim.user.profile.display_name if d.claim.user_id else None,
        "action": d.outcome, "action_label": f"Verification: {d.get_outcome_display()} ({d.get_method_display()})",
        "target_type": None, "target_id": None, "guideline": None,
        "reason": " ".join(p for p in (d.reason, d.evidence) if p), "content": None, "reporter_count": None,
        "appeal": None,
    }


def appeal_out(appeal) -> dict | None:
    if appeal is None:
        return None
    return {"id": appeal.pk, "status": appeal.status, "statement": appeal.statement, "created_at": appeal.created_at,
            "decision_reason": appeal.decision_reason, "decided_at": appeal.decided_at}


def decision_out(action: Action) -> dict:
    appeal = getattr(action, "appeal", None) if hasattr(action, "appeal") else None
    return {
        "id": action.pk, "community": action.community.slug, "action": action.kind,
        "action_label": action.get_kind_display(), "target_type": action.target_type,
        "target_type_label": action.get_target_type_display(), "guideline_title": action.guideline_title,
        "reason": action.reason, "suspended_until": action.suspended_until, "created_at": action.created_at,
        "content": action.content_snapshot,  # the member's own words
        "can_appeal": appeal is None and action.kind in APPEALABLE,
        "appeal": appeal_out(appeal),
        "pending_review": action.kind == ActionKind.AUTO_HIDE,
    }


def appeal_queue_item(appeal, *, viewer) -> dict:
    action = appeal.action
    return {
        "id": appeal.pk, "action_id": action.pk, "action": action.kind, "action_label": action.get_kind_display(),
        "target_type": action.target_type, "guideline_title": action.guideline_title, "reason": action.reason,
        "content": action.content_snapshot, "decided_by": _name(action.moderator), "member": _name(action.subject),
        "statement": appeal.statement, "assigned_to": _name(appeal.assigned_to),
        "assigned_to_me": appeal.assigned_to_id == viewer.pk, "created_at": appeal.created_at,
        "mine_to_skip": action.moderator_id == viewer.pk,
    }
