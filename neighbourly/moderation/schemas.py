from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from neighbourly.moderation.models import REASON_MAX, TargetType


class CursorQuery(Schema):
    cursor: str | None = Field(default=None, max_length=100)


class ReportIn(Schema):
    target_type: TargetType
    target_id: int = Field(ge=1, le=2**62)
    reason: str = Field(default="", max_length=REASON_MAX, description="What is wrong, in the reporter's words")
    guideline: str | None = Field(default=None, max_length=40, description="Code of the community guideline")


class ReportOut(Schema):
    id: int
    target_type: str
    target_id: int
    guideline: str
    reason: str
    created_at: datetime


class GuidelineOut(Schema):
    code: str
    title: str
    description: str


class GuidelineCount(Schema):
    code: str
    title: str
    count: int = Field(description="Distinct reporters who chose this guideline")


class QueueItemOut(Schema):
    id: int = Field(description="The queue item; act on it with POST /moderation/reports/{id}/action")
    target_type: str
    target_id: int
    title: str | None
    text: str | None = Field(description="The reported content, for moderators")
    url: str | None
    author: str | None = Field(description="Display name of the author")
    reporter_count: int = Field(description="Distinct members who reported it (never who)")
    guidelines: list[GuidelineCount]
    reasons: list[str] = Field(description="What reporters wrote, without names (latest five)")
    hidden: bool
    auto_hidden_at: datetime | None
    last_reported_at: datetime | None


class ModerationQueuePage(Schema):
    items: list[QueueItemOut]
    next_cursor: str | None


class ActionIn(Schema):
    action: Literal["dismiss", "hide", "remove", "warn", "suspend"]
    reason: str = Field(max_length=REASON_MAX)
    guideline: str = Field(default="", max_length=40)
    suspend_days: int | None = Field(default=None, ge=1, le=365)


class ActionOut(Schema):
    id: int
    action: str
    target_type: str
    target_id: int
    guideline: str
    guideline_title: str
    reason: str
    suspended_until: datetime | None
    created_at: datetime


class LogEntryOut(Schema):
    """One line of the member-visible log: no reporter, author, moderator or content."""

    id: int
    action: str
    action_label: str
    target_type: str
    guideline: str
    guideline_title: str
    suspension_days: int | None
    created_at: datetime
    appeal: str | None = Field(description="pending, upheld or overturned; null when not appealed")


class LogPage(Schema):
    items: list[LogEntryOut]
    next_cursor: str | None


class AuditEntryOut(Schema):
    type: Literal["moderation", "verification", "business"]
    id: int
    at: datetime
    actor: str | None = Field(description="Moderator (null: by a rule)")
    subject: str | None
    action: str
    target_type: str | None
    target_id: int | None
    guideline: str | None
    reason: str
    content: str | None
    reporter_count: int | None
    appeal: dict | None


class AuditPage(Schema):
    items: list[AuditEntryOut]
    next_cursor: str | None


class AppealIn(Schema):
    statement: str = Field(max_length=REASON_MAX)


class AppealOut(Schema):
    id: int
    status: str
    statement: str
    created_at: datetime
    decision_reason: str
    decided_at: datetime | None


class ModerationDecisionOut(Schema):
    """A decision about my own content, as its author sees it."""

    id: int
    community: str
    action: str
    target_type: str
    guideline_title: str
    reason: str
    suspended_until: datetime | None
    created_at: datetime
    can_appeal: bool
    appeal: AppealOut | None


class AppealQueueOut(Schema):
    id: int
    action_id: int
    action: str
    target_type: str
    guideline_title: str
    reason: str
    decided_by: str | None
    member: str | None
    statement: str
    assigned_to: str | None
    created_at: datetime


class AppealDecisionIn(Schema):
    uphold: bool
    reason: str = Field(max_length=REASON_MAX)
