from ninja import Schema
from pydantic import Field


class CommunityRef(Schema):
    slug: str
    name: str


class CommunityOut(Schema):
    slug: str
    name: str
    nearby: list[CommunityRef]
    verified_members: int
    boundary: dict


class AddressCandidateOut(Schema):
    id: int
    label: str
    street: str
    community: CommunityRef


class DirectoryEntryOut(Schema):
    display_name: str
    street: str | None = Field(description="The street only, never the house number; null if hidden")


class GroupRefOut(Schema):
    id: int
    name: str


class NeighbourOut(Schema):
    id: int
    display_name: str
    street: str | None = Field(description="Only if they chose to show it; never a house number")
    community: str = Field(description="Name of the community through which you see them")
    avatar_url: str | None


class NeighbourCardOut(NeighbourOut):
    bio: str
    groups_in_common: list[GroupRefOut]
    blocked_by_me: bool
    can_message: bool = Field(description="False for yourself and when either of you blocked the other")


class NeighbourPage(Schema):
    items: list[NeighbourOut]
    next_cursor: str | None = None


class NeighbourSearchQuery(Schema):
    q: str = Field(default="", max_length=60, description="Part of a display name, at least 2 characters")
