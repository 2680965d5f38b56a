"""API schemas for groups and the help exchange. Names only: never an address, a house number,
a distance, or anyone's own age band."""

from datetime import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from neighbourly.groups.models import (
    DESCRIPTION_MAX,
    HELP_DESCRIPTION_MAX,
    NAME_MAX,
    REASON_MAX,
    Availability,
    GroupKind,
    GroupVisibility,
    HelpCategory,
    HelpKind,
)

# ---- groups


class GroupIn(Schema):
    name: str = Field(max_length=NAME_MAX * 2)
    description: str = Field(default="", max_length=DESCRIPTION_MAX * 2)
    kind: GroupKind = GroupKind.INTEREST
    visibility: GroupVisibility = GroupVisibility.OPEN


class GroupOut(Schema):
    id: int
    community: str
    name: str
    description: str
    kind: GroupKind
    visibility: GroupVisibility
    member_count: int
    archived: bool
    my_status: str | None = Field(description="'active', 'pending' or null")
    my_role: str | None


class GenerationOut(Schema):
    key: str
    label: str
    count: int
    percent: int


class AgeMixOut(Schema):
    stated: int
    generations: list[GenerationOut]
    missing: list[str]


class GroupDetailOut(GroupOut):
    conversation_id: int | None = Field(description="The group's chat room, for its members.")
    age_mix: AgeMixOut | None = Field(description="Only when five or more members stated an age band.")


class GroupListOut(Schema):
    items: list[GroupOut]
    next_cursor: str | None


class MemberOut(Schema):
    user_id: int
    display_name: str
    role: str


class MemberListOut(Schema):
    items: list[MemberOut]
    next_cursor: str | None = None


class GroupMembershipOut(Schema):
    status: str
    role: str


class JoinDecisionIn(Schema):
    approve: bool


class UserRefIn(Schema):
    user_id: int = Field(ge=1, le=2**62)


def group_to_dict(group) -> dict:
    return {
        "id": group.id, "community": group.community.slug, "name": group.name, "description": group.description,
        "kind": group.kind, "visibility": group.visibility, "member_count": group.member_count,
        "archived": group.is_archived, "my_status": group.viewer_status, "my_role": group.viewer_role,
    }


# ---- help exchange


class HelpListingIn(Schema):
    kind: HelpKind
    category: HelpCategory
    description: str = Field(max_length=HELP_DESCRIPTION_MAX * 2)
    availability: list[Availability] = Field(max_length=10)
    on_behalf_of: int | None = Field(default=None, ge=1, le=2**62,
                                     description="Moderators only: the offline member this listing is for.")
    reason: str = Field(default="", max_length=REASON_MAX * 2, description="Why a moderator acts for the member.")


class HelpListingOut(Schema):
    id: int
    kind: HelpKind
    category: HelpCategory
    description: str
    availability: list[Availability]
    status: str
    owner: str = Field(description="The display name of the person it is for.")
    mine: bool
    created_at: datetime


class HelpListingListOut(Schema):
    items: list[HelpListingOut]
    next_cursor: str | None


class CandidateOut(Schema):
    match_id: int = Field(description="The candidate listing's id; pass it to /help/{id}/accept.")
    kind: HelpKind
    description: str
    display_name: str
    overlap: list[Availability] = Field(description="Times both are available.")


class CandidateListOut(Schema):
    items: list[CandidateOut]
    next_cursor: str | None = None


class AcceptIn(Schema):
    match_id: int = Field(ge=1, le=2**62)
    reason: str = Field(default="", max_length=REASON_MAX * 2, description="Required when a moderator acts.")


class MatchOut(Schema):
    id: int
    request_id: int
    offer_id: int
    helper: str
    helped: str
    conversation_id: int | None


class HoursIn(Schema):
    hours: Decimal = Field(max_digits=8, decimal_places=2)
    match_id: int | None = Field(default=None, ge=1, le=2**62, description="Needed when the listing has several matches.")


class HoursOut(Schema):
    match_id: int
    hours: Decimal
    status: str
    helper_confirmed: bool
    helped_confirmed: bool


class HoursTotalsOut(Schema):
    given: Decimal
    received: Decimal


class ThanksOut(Schema):
    display_name: str
    hours: Decimal


class ThanksListOut(Schema):
    items: list[ThanksOut]
    opted_in: bool


class ThanksOptIn(Schema):
    opted_in: bool


class ProxyActionOut(Schema):
    id: int
    moderator: str
    member: str
    action: str
    listing_id: int | None
    match_id: int | None
    reason: str
    created_at: datetime


class ProxyLogOut(Schema):
    items: list[ProxyActionOut]
    next_cursor: str | None = None


def listing_to_dict(listing, *, viewer) -> dict:
    return {
        "id": listing.id, "kind": listing.kind, "category": listing.category, "description": listing.description,
        "availability": listing.availability, "status": listing.status,
        "owner": listing.owner.profile.display_name, "mine": listing.owner_id == viewer.pk,
        "created_at": listing.created_at,
    }


def match_to_dict(match) -> dict:
    return {
        "id": match.id, "request_id": match.request_id, "offer_id": match.offer_id,
        "helper": match.helper.profile.display_name, "helped": match.helped.profile.display_name,
        "conversation_id": match.conversation_id,
    }
