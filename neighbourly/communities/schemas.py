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
