"""API shapes. Claimants appear by display name only: never an address, street or house number."""

from datetime import datetime

from ninja import Field, Schema

from neighbourly.merchants.models import Category, ProofMethod


class BusinessIn(Schema):
    name: str = Field(max_length=120)
    category: Category = Category.OTHER
    address: str = Field(max_length=200)
    description: str = Field("", max_length=2000)
    opening_hours: str = Field("", max_length=300)
    communities: list[str] = Field(max_length=10)
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    proof: ProofMethod = ProofMethod.POSTCARD


class ServedOut(Schema):
    community: str
    name: str
    status: str
    reason: str
    distance_m: int | None = None


class BusinessOut(Schema):
    id: int
    name: str
    category: str
    address: str
    lon: float | None = None
    lat: float | None = None
    opening_hours: str
    description: str
    verified: bool
    logo_url: str | None = None
    photo_urls: list[str] = []
    recommendations: int
    recommended_by_me: bool
    is_owner: bool
    communities: list[ServedOut]


class BusinessListItem(Schema):
    id: int
    name: str
    category: str
    verified: bool
    recommendations: int
    recommended_by_me: bool


class BusinessPage(Schema):
    items: list[BusinessListItem]
    next_cursor: str | None = None


class BusinessDecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=500)
    community: str | None = Field(None, description="Slug; needed only if you moderate several communities it serves.")


class BusinessDecisionOut(Schema):
    business_id: int
    community: str
    status: str
    reason: str
    verified: bool


class BusinessCodeIn(Schema):
    code: str = Field(max_length=32)


class PostcardOut(Schema):
    code: str
    expires_at: datetime
    business: str
    address: str


class PendingBusinessOut(Schema):
    id: int
    name: str
    category: str
    address: str
    distance_m: int | None = None
    proof: str
    address_verified: bool
    document: bool
    postcard_issued: bool
    created_at: datetime


class PendingPage(Schema):
    items: list[PendingBusinessOut]


class OfferIn(Schema):
    title: str = Field(max_length=120)
    body: str = Field("", max_length=2000)
    starts_at: datetime | None = None
    ends_at: datetime
    communities: list[str] = Field(max_length=20)
    max_claims: int = Field(ge=1, le=10_000)
    per_household: int = Field(1, ge=1, le=10_000)


class OfferPatchIn(Schema):
    title: str | None = Field(None, max_length=120)
    body: str | None = Field(None, max_length=2000)
    ends_at: datetime | None = None
    max_claims: int | None = Field(None, ge=1, le=10_000)
    per_household: int | None = Field(None, ge=1, le=10_000)


class BusinessPatchIn(Schema):
    name: str | None = Field(None, max_length=120)
    category: str | None = Field(None, max_length=20)
    opening_hours: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=2000)


class OfferBusinessOut(Schema):
    id: int
    name: str
    verified: bool


class OfferOut(Schema):
    id: int
    label: str
    title: str
    body: str
    business: OfferBusinessOut
    starts_at: datetime
    ends_at: datetime
    remaining: int
    live: bool
    image_url: str | None = None
    saved: bool
    claimed: bool
    communities: list[str] | None = Field(None, description="Only for the business's owners.")
    status: str | None = Field(None, description="live, paused or closed; only for the business's owners.")


class OfferClaimOut(Schema):
    offer_id: int
    code: str
    qr_url: str
    claimed_at: datetime
    redeemed_at: datetime | None = None


class RedemptionIn(Schema):
    code: str = Field(max_length=32)


class RedemptionOut(Schema):
    claim_id: int
    offer_id: int
    offer_title: str
    claimant: str = Field(description="The claimant's display name (nothing else about them).")
    redeemed_at: datetime


class StatsOut(Schema):
    offer_id: int
    impressions: int
    saves: int
    claims: int
    redemptions: int
    max_claims: int
    status: str
