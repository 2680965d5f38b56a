from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from neighbourly.accounts.models import AgeBand


class SignupIn(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)
    display_name: str = Field(max_length=60)


class LoginIn(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)


class DetailOut(Schema):
    detail: str


class ConfirmEmailIn(Schema):
    token: str = Field(max_length=1000)


class PasswordResetIn(Schema):
    email: str = Field(max_length=254)


class PasswordResetConfirmIn(Schema):
    uid: str = Field(max_length=64)
    token: str = Field(max_length=100)
    password: str = Field(max_length=128)


class PasswordChangeIn(Schema):
    current_password: str = Field(max_length=128)
    new_password: str = Field(max_length=128)


class EmailChangeIn(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128, description="Your current password")


class MembershipOut(Schema):
    community: str
    community_name: str
    role: str
    status: str
    street: str | None


class MeOut(Schema):
    id: int
    email: str
    email_confirmed: bool = Field(description="false until the link mailed at sign-up is opened")
    display_name: str
    bio: str
    age_band: AgeBand | None
    neighbour_label: str = Field(description="name_street (default) or name_only: how neighbours see me")
    in_directory: bool = Field(description="Listed in my community's directory (opt-in)")
    memberships: list[MembershipOut]


class MePatchIn(Schema):
    display_name: str | None = Field(default=None, max_length=60)
    bio: str | None = Field(default=None, max_length=500)
    age_band: AgeBand | None = None
    clear_age_band: bool = False
    neighbour_label: Literal["name_street", "name_only"] | None = None
    in_directory: bool | None = None


class TokenIn(Schema):
    name: str = Field(default="Personal token", max_length=80)


class TokenOut(Schema):
    id: int
    name: str
    token: str


class AvatarOut(Schema):
    avatar_url: str


class CsrfOut(Schema):
    csrf_token: str


class DeleteMeIn(Schema):
    password: str = Field(max_length=128)
    keep_content: bool = Field(
        default=True,
        description="true: your posts and messages stay, shown as from a former neighbour; false: removed too",
    )


class BlockIn(Schema):
    user_id: int = Field(gt=0, lt=2**63)


class BlockOut(Schema):
    user_id: int
    display_name: str
    created_at: datetime


class BlockPage(Schema):
    items: list[BlockOut]
    next_cursor: str | None = None


class BlockListQuery(Schema):
    cursor: str | None = Field(default=None, max_length=200)
