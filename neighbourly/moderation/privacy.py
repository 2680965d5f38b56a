"""Personal data held by moderation (see accounts/privacy.py).

Export: the reports I made (what and why, never anyone else's), decisions about my content and my
appeals. Erasure: my reports go (each item's count of distinct reporters is recounted); decisions
about me stay in the community's log but no longer point at me, and their copy of my words goes.
"""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from neighbourly.moderation.models import Action, Appeal, Case, Report


def export_user_data(*, user) -> dict:
    return {
        "reports_made": [
            {"target_type": r.target_type, "target_id": r.target_id, "guideline": r.guideline, "reason": r.reason,
             "created_at": r.created_at.isoformat()}
            for r in Report.objects.filter(reporter=user).order_by("id")
        ],
        "moderation_decisions_about_me": [
            {"action": a.kind, "target_type": a.target_type, "guideline": a.guideline_title, "reason": a.reason,
             "suspended_until": a.suspended_until.isoformat() if a.suspended_until else None,
             "created_at": a.created_at.isoformat(),
             "appeal": None if not hasattr(a, "appeal") else {
                 "statement": a.appeal.statement, "status": a.appeal.status,
                 "decision_reason": a.appeal.decision_reason}}
            for a in Action.objects.filter(subject=user).select_related("appeal").order_by("id")
        ],
    }


def erase_user_data(*, user, keep_content: bool) -> None:
    case_ids = list(Report.objects.filter(reporter=user).values_list("case_id", flat=True).distinct())
    Report.objects.filter(reporter=user).delete()
    if case_ids:
        reporters = (Report.objects.filter(case=OuterRef("pk")).values("case")
                     .annotate(n=Count("reporter", distinct=True)).values("n"))
        Case.objects.filter(pk__in=case_ids).update(reporter_count=Coalesce(Subquery(reporters), 0))
    Appeal.objects.filter(appellant=user).update(appellant=None, statement="(withdrawn: the member left)")
    Action.objects.filter(subject=user).update(subject=None, content_snapshot="")
    Case.objects.filter(author=user).update(author=None)
