from datetime import datetime

from ninja import Schema
from pydantic import Field

from neighbourly.communities.schemas import CommunityRef


class ClaimIn(Schema):
    """`status`, `role`, `user` and the like are not fields: anything else sent is ignored."""

    address_id: int | None = None
    method: str = Field(max_length=20)
    # Only where the community has no register: its slug and the address as typed.
    community: str | None = Field(default=None, max_length=60)
    address_text: str | None = Field(default=None, max_length=200)


class CodeIn(Schema):
    code: str = Field(max_length=40)


class GeolocationIn(Schema):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    accuracy_m: float = Field(ge=0, le=1_000_000)


class VouchIn(Schema):
    token: str = Field(max_length=64)


class DecisionIn(Schema):
    approve: bool
    reason: str = Field(default="", max_length=500)


class MethodIn(Schema):
    method: str = Field(max_length=20)


class RevokeIn(Schema):
    reason: str = Field(default="", max_length=500)


class PostcardBatchIn(Schema):
    claim_ids: list[int] | None = None


class ClaimOut(Schema):
    id: int
    community: CommunityRef
    address: str
    method: str
    status: str
    review_reason: str
    decision_reason: str
    created_at: datetime
    decided_at: datetime | None
    vouch_url: str | None = None
    locked_until: datetime | None = None


class ClaimPage(Schema):
    items: list[ClaimOut]
    next_cursor: str | None


class ClaimantOut(Schema):
    id: int
    display_name: str
    email: str


class QueueClaimOut(Schema):
    """For the community's moderators only: they see the exact address while verifying."""

    id: int
    claimant: ClaimantOut
    address: str
    typed_address: str
    method: str
    status: str
    review_reason: str
    created_at: datetime
    evidence: dict
    document_url: str | None


class QueuePage(Schema):
    items: list[QueueClaimOut]
    next_cursor: str | None


class CardOut(Schema):
    claim_id: int
    name: str
    address: str
    code: str
    expires_at: datetime


class PostcardBatchOut(Schema):
    batch_id: int
    cards: list[CardOut]


class BatchOut(Schema):
    id: int
    created_at: datetime
    sent_at: datetime | None


class RegisterUploadOut(Schema):
    id: int
    rows: int
    skipped: int
    matched: int


class DecisionOut(Schema):
    id: int
    claim_id: int
    claimant: str
    actor: str | None
    method: str
    outcome: str
    evidence: str
    reason: str
    created_at: datetime


class DecisionPage(Schema):
    items: list[DecisionOut]
    next_cursor: str | None


class VouchTargetOut(Schema):
    """What a voucher sees: display name and street, never the house number."""

    claim_id: int
    display_name: str
    street: str
    community: CommunityRef
