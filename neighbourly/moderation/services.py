"""Reports. The moderation queue and actions are built on these later."""

from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from neighbourly.core.errors import ApplicationError, Conflict, NotFound
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.moderation.models import Report, TargetType

# target_type -> selector(viewer=, target_id=) returning the target's community id, raising
# NotFound when the viewer cannot see it. Apps with reportable content add theirs here.
TARGET_RESOLVERS = {
    TargetType.POST: "neighbourly.feed.selectors.post_report_target",
    TargetType.COMMENT: "neighbourly.feed.selectors.comment_report_target",
}


@transaction.atomic
def report_create(*, reporter, target_type: str, target_id: int, reason: str) -> Report:
    """A member reports content they can see; one report per member per target."""
    if target_type not in TARGET_RESOLVERS:
        raise ApplicationError(f"You can report: {', '.join(TARGET_RESOLVERS)}.")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Tell the moderators what is wrong.")
    if len(reason) > 1000:
        raise ApplicationError("Keep the reason under 1000 characters.")
    community_id = import_string(TARGET_RESOLVERS[target_type])(viewer=reporter, target_id=target_id)
    if community_id is None:
        raise NotFound()
    if Report.objects.filter(reporter=reporter, target_type=target_type, target_id=target_id).exists():
        raise Conflict("You have already reported this. The moderators will look at it.")
    report = Report(reporter=reporter, community_id=community_id, target_type=target_type, target_id=target_id,
                    reason=reason)
    full_clean_or_raise(report, exclude=["reporter", "community"], validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise Conflict("You have already reported this. The moderators will look at it.") from exc
    return report
