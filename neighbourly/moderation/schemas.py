from datetime import datetime

from ninja import Schema
from pydantic import Field

from neighbourly.moderation.models import TargetType


class ReportIn(Schema):
    target_type: TargetType
    target_id: int = Field(ge=1, le=2**62)
    reason: str = Field(max_length=1000)


class ReportOut(Schema):
    id: int
    target_type: str
    target_id: int
    reason: str
    created_at: datetime
