"""Posts and what hangs off them. Counts are kept on the post (updated by services) so a feed
page never aggregates: reading stays a constant number of queries whatever the page holds."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from neighbourly.core.images import THUMB_SIDE
from neighbourly.core.models import TimeStampedModel

TITLE_MAX = 120
BODY_MAX = 5000
COMMENT_MAX = 2000
POLL_OPTION_MAX = 100
MAX_IMAGES = 4


class PostKind(models.TextChoices):
    GENERAL = "general", "General"
    SALE = "sale", "For sale & free"
    RECOMMENDATION = "recommendation", "Recommendation request"
    LOST_FOUND = "lost_found", "Lost & found"
    SAFETY = "safety", "Safety"
    EVENT = "event", "Event"
    POLL = "poll", "Poll"


class Visibility(models.TextChoices):
    COMMUNITY = "community", "My community"
    NEARBY = "nearby", "My community and nearby ones"


class ReactionKind(models.TextChoices):
    LIKE = "like", "Like"
    THANKS = "thanks", "Thanks"
    LOVE = "love", "Love"
    HELPFUL = "helpful", "Helpful"
    SAD = "sad", "Sad"


class RsvpStatus(models.TextChoices):
    GOING = "going", "Going"
    MAYBE = "maybe", "Maybe"
    NOT_GOING = "not_going", "Not going"


class Post(TimeStampedModel):
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="posts")
    # Null once the author deleted their account but chose to leave their posts ("Former neighbour").
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    # The membership the author posted through: gives the street (never the number) in one join.
    author_membership = models.ForeignKey(
        "communities.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A group's post lives in the group's feed only (never the community feed); null for community posts.
    group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="posts", db_index=False
    )
    kind = models.CharField(max_length=20, choices=PostKind.choices, default=PostKind.GENERAL)
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField(max_length=BODY_MAX, blank=True)
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.COMMUNITY)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)  # set by moderation; hidden posts leave the feed
    # For sale & free.
    price = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    is_free = models.BooleanField(default=False)
    # Safety: what happened (title), where, when; body describes behaviour, not appearance.
    safety_where = models.CharField(max_length=200, blank=True)
    safety_when = models.DateTimeField(null=True, blank=True)
    urgent = models.BooleanField(default=False)
    # Event.
    event_starts_at = models.DateTimeField(null=True, blank=True)
    event_ends_at = models.DateTimeField(null=True, blank=True)
    event_place = models.CharField(max_length=200, blank=True)
    # Poll: option labels; votes per option in poll_counts (same order).
    poll_options = models.JSONField(default=list, blank=True)
    # Denormalised counts, changed only by services under a row lock (or F()).
    comment_count = models.PositiveIntegerField(default=0)
    reaction_counts = models.JSONField(default=dict, blank=True)
    poll_counts = models.JSONField(default=list, blank=True)
    rsvp_counts = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            # The feed: one range scan per community, newest first, keyset on (created_at, id).
            models.Index(fields=["community", "created_at", "id"], name="post_feed"),
            # Posts shared with nearby communities: the same scan over far fewer rows.
            models.Index(
                fields=["community", "created_at", "id"], name="post_feed_nearby", condition=Q(visibility="nearby")
            ),
            models.Index(fields=["author", "urgent", "created_at"], name="post_author_urgent"),
            # A group's feed: the same keyset scan over the group's posts.
            models.Index(fields=["group", "created_at", "id"], name="post_group_feed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="post_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(event_ends_at__isnull=True)
                | Q(event_starts_at__isnull=False, event_ends_at__gt=models.F("event_starts_at")),
                name="post_event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None


class PostImage(TimeStampedModel):
    """A re-encoded image (no metadata) in private storage; the thumbnail comes from a task."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField(default=0)
    file = models.CharField(max_length=255)  # name in images storage
    thumbnail = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["post", "position"], name="post_image_position")]

    @property
    def thumb_width(self) -> int:
        """The thumbnail's width (its longer side is at most THUMB_SIDE), for `srcset`."""
        return max(1, round(self.width * min(1.0, THUMB_SIDE / max(self.width, self.height, 1))))

    @property
    def has_larger(self) -> bool:
        return self.width > self.thumb_width


class Comment(TimeStampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    author_membership = models.ForeignKey(
        "communities.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # One level of replies: a reply's parent is always a top-level comment of the same post.
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(max_length=COMMENT_MAX)
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["post", "created_at", "id"], name="comment_post_time")]


class Reaction(TimeStampedModel):
    """One reaction per member per post; choosing another kind replaces it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReactionKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="reaction_one_per_member")]


class PollVote(TimeStampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    option = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="poll_vote_one_per_member")]


class EventRsvp(TimeStampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=RsvpStatus.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="rsvp_one_per_member")]
