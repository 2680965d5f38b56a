"""Writes for the feed. Import from here: `from neighbourly.feed.services import post_create`."""

from neighbourly.feed.services.images import post_image_add, post_image_make_thumbnail  # noqa: F401
from neighbourly.feed.services.posts import (  # noqa: F401
    EventDetails,
    NudgeRequired,
    SafetyDetails,
    post_create,
    post_delete,
    post_hide,
    post_update,
)
from neighbourly.feed.services.responses import (  # noqa: F401
    comment_create,
    event_rsvp,
    event_rsvp_remove_all,
    poll_vote,
    poll_votes_remove_all,
    reaction_remove,
    reaction_remove_all,
    reaction_set,
)
