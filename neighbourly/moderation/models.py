"""Reports, the cases they gather into, moderators' actions, appeals and community guidelines.

A Case is one reported item (post, comment, message, group, business, offer) in one community.
Each member's report on it is one Report row (unique), so a member counts once however often
they report; the case keeps the number of distinct reporters. Actions are the audit log; the
member-visible log is the same rows read without reporters, content or moderator names.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from neighbourly.core.models import TimeStampedModel

REASON_MAX = 1000


class TargetType(models.TextChoices):
    POST = "post", "Post"
    COMMENT = "comment", "Comment"
    MESSAGE = "message", "Chat message"
    GROUP = "group", "Group"
    BUSINESS = "business", "Business"
    OFFER = "offer", "Offer"


class Guideline(models.Model):
    """A community's own guideline. A community without any uses DEFAULT_GUIDELINES (guidelines.py)."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="guidelines")
    code = models.SlugField(max_length=40)
    title = models.CharField(max_length=120)
    description = models.CharField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["community", "code"], name="guideline_unique_code")]

    def __str__(self) -> str:
        return self.title


class ModerationSettings(models.Model):
    """Per-community knobs. A community without a row uses settings.MODERATION_AUTO_HIDE_REPORTERS."""

    community = models.OneToOneField("communities.Community", on_delete=models.CASCADE, related_name="+")
    auto_hide_reporters = models.PositiveSmallIntegerField(
        help_text="Distinct reporters after which an item is hidden pending review (0 = never)"
    )


class CaseStatus(models.TextChoices):
    OPEN = "open", "Waiting for a moderator"
    CLOSED = "closed", "Decided"


class Case(TimeStampedModel):
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    # Whose content it is (null: the author left, or the target has no single author).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    reporter_count = models.PositiveIntegerField(default=0)  # distinct reporters; changed under a row lock
    last_reported_at = models.DateTimeField(null=True, blank=True)
    auto_hidden_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)  # whether the target is hidden now (by rule or action)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id"], name="case_one_per_target"),
        ]
        indexes = [models.Index(fields=["community", "status", "-last_reported_at"], name="case_queue")]

    def __str__(self) -> str:
        return f"{self.target_type} {self.target_id}"


class Report(TimeStampedModel):
    """A member's report on a piece of content: one per member per target."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="reports")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    guideline = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=REASON_MAX, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"], name="report_one_per_reporter_target"
            )
        ]
        indexes = [models.Index(fields=["community", "created_at"], name="report_community_time")]

    def __str__(self) -> str:
        return f"{self.target_type} {self.target_id} reported by {self.reporter_id}"


class ActionKind(models.TextChoices):
    DISMISS = "dismiss", "Dismissed"
    HIDE = "hide", "Hidden"
    REMOVE = "remove", "Removed"
    WARN = "warn", "Warning"
    SUSPEND = "suspend", "Suspended"
    AUTO_HIDE = "auto_hide", "Hidden pending review"


MODERATOR_ACTIONS = (ActionKind.DISMISS, ActionKind.HIDE, ActionKind.REMOVE, ActionKind.WARN, ActionKind.SUSPEND)


class Action(models.Model):
    """One moderation decision: the audit log. Members see it without reporters, content or names."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    moderator = models.ForeignKey(  # null: the system (a rule), or the moderator's account is gone
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.ForeignKey(  # the member the action concerns (the author)
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=ActionKind.choices)
    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    guideline = models.CharField(max_length=40, blank=True)
    guideline_title = models.CharField(max_length=120, blank=True)
    reason = models.CharField(max_length=REASON_MAX, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    # What the content said when acted on: moderators' audit log only, never the member log.
    content_snapshot = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["community", "-id"], name="action_community")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="suspend") | Q(suspended_until__isnull=False), name="action_suspend_has_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_type} {self.target_id}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a moderator"
    UPHELD = "upheld", "Decision upheld"
    OVERTURNED = "overturned", "Decision overturned"


class Appeal(TimeStampedModel):
    """The author's one appeal against an action, decided by another moderator where one exists."""

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="appeal")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    statement = models.CharField(max_length=REASON_MAX)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.CharField(max_length=REASON_MAX, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["community", "status"], name="appeal_community_status")]
