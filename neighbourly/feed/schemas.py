"""API schemas. `post_to_dict` builds a post exactly as PostOut describes it (the feed uses it
directly, so a page of 50 posts is not validated field by field)."""

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from neighbourly.accounts.avatars import avatar_url
from neighbourly.feed.models import (
    BODY_MAX,
    COMMENT_MAX,
    TITLE_MAX,
    PostKind,
    ReactionKind,
    RsvpStatus,
    Visibility,
)

# ---- in


class EventIn(Schema):
    starts_at: datetime
    ends_at: datetime
    place: str = Field(max_length=200)


class SafetyIn(Schema):
    where: str = Field(max_length=200)
    when: datetime
    urgent: bool = False


class PollIn(Schema):
    options: list[str] = Field(max_length=50)


class PostIn(Schema):
    kind: PostKind
    title: str = Field(max_length=TITLE_MAX * 4)
    body: str = Field(default="", max_length=BODY_MAX * 2)
    visibility: Visibility = Visibility.COMMUNITY
    price: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    free: bool = False
    event: EventIn | None = None
    safety: SafetyIn | None = None
    poll: PollIn | None = None
    post_anyway: bool = Field(default=False, description="Publish even though the kindness nudge asked to revise.")


class PostPatchIn(Schema):
    title: str | None = Field(default=None, max_length=TITLE_MAX * 4)
    body: str | None = Field(default=None, max_length=BODY_MAX * 2)
    price: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    free: bool | None = None
    event: EventIn | None = None
    safety_where: str | None = Field(default=None, max_length=200)
    safety_when: datetime | None = None
    post_anyway: bool = False


class CommentIn(Schema):
    body: str = Field(max_length=COMMENT_MAX * 2)
    parent_id: int | None = Field(default=None, ge=1, le=2**62)
    post_anyway: bool = False


class VoteIn(Schema):
    option: int = Field(ge=0, le=100)


class RsvpIn(Schema):
    status: RsvpStatus


# ---- out


class AuthorOut(Schema):
    id: int
    display_name: str
    street: str | None = Field(description="The street only; never the house number.")
    avatar_url: str | None


class ImageOut(Schema):
    id: int
    url: str
    thumbnail_url: str
    width: int
    height: int


class SafetyOut(Schema):
    where: str
    when: datetime | None
    urgent: bool


class EventOut(Schema):
    starts_at: datetime
    ends_at: datetime
    place: str
    going: int
    maybe: int
    not_going: int
    my_rsvp: RsvpStatus | None


class PollOptionOut(Schema):
    index: int
    label: str
    votes: int | None = Field(description="Shown once the viewer has voted.")


class PollOut(Schema):
    options: list[PollOptionOut]
    total_votes: int | None
    my_vote: int | None


class PostOut(Schema):
    type: Literal["post"] = "post"
    id: int
    community: str
    community_name: str
    kind: PostKind
    title: str
    body: str
    visibility: Visibility
    author: AuthorOut
    created_at: datetime
    edited_at: datetime | None
    price: Decimal | None
    free: bool
    safety: SafetyOut | None
    event: EventOut | None
    poll: PollOut | None
    images: list[ImageOut]
    comment_count: int
    reactions: dict[ReactionKind, int]
    my_reaction: ReactionKind | None
    can_edit: bool


class FeedOut(Schema):
    items: list[dict[str, Any]] = Field(description='Items of {"type": "post", ...PostOut} (later also "offer").')
    next_cursor: str | None


class CommentOut(Schema):
    id: int
    post_id: int
    parent_id: int | None
    author: AuthorOut
    body: str
    created_at: datetime


class CommentListOut(Schema):
    items: list[CommentOut]
    next_cursor: str | None


class ReactionsOut(Schema):
    reactions: dict[ReactionKind, int]
    my_reaction: ReactionKind | None


# ---- building


FORMER_NEIGHBOUR = "Former neighbour"


def author_dict(user, membership) -> dict:
    if user is None:  # the author left and kept their posts, anonymised
        return {"id": 0, "display_name": FORMER_NEIGHBOUR, "street": None, "avatar_url": None}
    profile = user.profile
    return {
        "id": user.id,
        "display_name": profile.display_name,
        # The author's choice (display name only, or with street) applies here, in one place.
        "street": profile.street_for_neighbours(membership.address if membership is not None and membership.address_id
                                                else None),
        "avatar_url": avatar_url(user.id, profile.avatar),
    }


def post_to_dict(post, *, viewer) -> dict:
    voted = post.my_vote is not None
    counts = post.poll_counts or [0] * len(post.poll_options)
    rsvp = post.rsvp_counts or {}
    return {
        "type": "post",
        "id": post.id,
        "community": post.community.slug,
        "community_name": post.community.name,
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "visibility": post.visibility,
        "author": author_dict(post.author, post.author_membership),
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "price": post.price,
        "free": post.is_free,
        "safety": {"where": post.safety_where, "when": post.safety_when, "urgent": post.urgent}
        if post.kind == PostKind.SAFETY else None,
        "event": {
            "starts_at": post.event_starts_at, "ends_at": post.event_ends_at, "place": post.event_place,
            "going": rsvp.get("going", 0), "maybe": rsvp.get("maybe", 0), "not_going": rsvp.get("not_going", 0),
            "my_rsvp": post.my_rsvp,
        } if post.kind == PostKind.EVENT else None,
        "poll": {
            "options": [
                {"index": i, "label": label, "votes": counts[i] if voted else None}
                for i, label in enumerate(post.poll_options)
            ],
            "total_votes": sum(counts) if voted else None,
            "my_vote": post.my_vote,
        } if post.kind == PostKind.POLL else None,
        "images": [
            {"id": image.id, "url": f"/posts/{post.id}/images/{image.id}",
             "thumbnail_url": f"/posts/{post.id}/images/{image.id}/thumb", "width": image.width,
             "height": image.height}
            for image in post.images.all()
        ],
        "comment_count": post.comment_count,
        "reactions": dict(post.reaction_counts),
        "my_reaction": post.my_reaction,
        "can_edit": post.author_id == viewer.pk,
    }


def comment_to_dict(comment) -> dict:
    return {
        "id": comment.id,
        "post_id": comment.post_id,
        "parent_id": comment.parent_id,
        "author": author_dict(comment.author, comment.author_membership),
        "body": comment.body,
        "created_at": comment.created_at,
    }
