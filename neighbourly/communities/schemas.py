from ninja import Schema


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
