"""Groups (interest and intergenerational) and the help exchange: listings, matches, an hours
ledger confirmed by both people, and the log of what moderators did on an offline member's behalf."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from neighbourly.core.models import TimeStampedModel

NAME_MAX = 80
DESCRIPTION_MAX = 2000
HELP_DESCRIPTION_MAX = 1000
REASON_MAX = 500
HOURS_MAX = Decimal(12)  # one entry records at most a long day's help; more is a typo


class GroupKind(models.TextChoices):
    INTEREST = "interest", "Interest group"
    INTERGENERATIONAL = "intergenerational", "Intergenerational group"


class GroupVisibility(models.TextChoices):
    OPEN = "open", "Open: any verified neighbour can join"
    CLOSED = "closed", "Closed: group moderators approve who joins"


class Group(TimeStampedModel):
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=NAME_MAX)
    description = models.TextField(max_length=DESCRIPTION_MAX, blank=True)
    kind = models.CharField(max_length=20, choices=GroupKind.choices, default=GroupKind.INTEREST)
    visibility = models.CharField(max_length=10, choices=GroupVisibility.choices, default=GroupVisibility.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The group's chat room; its members follow the group's active members (groups.services).
    conversation = models.ForeignKey(
        "realtime.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member_count = models.PositiveIntegerField(default=0)  # active members, kept by services
    archived_at = models.DateTimeField(null=True, blank=True)  # archived groups are read-only

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name"), "community", name="group_name_unique_in_community"),
        ]
        indexes = [models.Index(fields=["community", "archived_at", "name"], name="group_browse")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_closed(self) -> bool:
        return self.visibility == GroupVisibility.CLOSED


class GroupRole(models.TextChoices):
    MEMBER = "member", "Member"
    MODERATOR = "moderator", "Group moderator"


class GroupMemberStatus(models.TextChoices):
    ACTIVE = "active", "Member"
    PENDING = "pending", "Asked to join"


class GroupMembership(TimeStampedModel):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(max_length=10, choices=GroupRole.choices, default=GroupRole.MEMBER)
    status = models.CharField(max_length=10, choices=GroupMemberStatus.choices, default=GroupMemberStatus.ACTIVE)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="group_membership_unique")]
        indexes = [models.Index(fields=["user", "status"], name="group_membership_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id}"

    @property
    def is_moderator(self) -> bool:
        return self.status == GroupMemberStatus.ACTIVE and self.role == GroupRole.MODERATOR


# --- help exchange -------------------------------------------------------------------------


class HelpKind(models.TextChoices):
    OFFER = "offer", "I can help"
    REQUEST = "request", "I need help"


class HelpCategory(models.TextChoices):
    TECH = "tech", "Tech help"
    ERRANDS = "errands", "Errands and shopping"
    LIFTS = "lifts", "Lifts"
    HOMEWORK = "homework", "Homework and tutoring"
    COMPANIONSHIP = "companionship", "Companionship"
    GARDENING = "gardening", "Gardening"
    REPAIRS = "repairs", "Small repairs"
    CHILDCARE = "childcare", "Childcare"


class Availability(models.TextChoices):
    WEEKDAY_DAYTIME = "weekday_daytime", "Weekday daytime"
    WEEKDAY_EVENINGS = "weekday_evenings", "Weekday evenings"
    WEEKENDS = "weekends", "Weekends"


class HelpStatus(models.TextChoices):
    OPEN = "open", "Open"
    MATCHED = "matched", "Matched"
    CLOSED = "closed", "Closed"


class HelpListing(TimeStampedModel):
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="help_listings")
    # Whose listing it is (the person who gives or receives help), and through which membership
    # (its address point ranks nearness; it is never shown).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_listings")
    owner_membership = models.ForeignKey("communities.Membership", on_delete=models.CASCADE, related_name="+")
    # Who wrote it: the owner, or a moderator acting for them (see ProxyAction).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=HelpKind.choices)
    category = models.CharField(max_length=20, choices=HelpCategory.choices)
    description = models.TextField(max_length=HELP_DESCRIPTION_MAX)
    availability = models.JSONField(default=list)  # Availability values, at least one
    status = models.CharField(max_length=10, choices=HelpStatus.choices, default=HelpStatus.OPEN)

    class Meta:
        indexes = [models.Index(fields=["community", "status", "category", "kind"], name="help_listing_match")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_category_display()}"


class HelpMatch(TimeStampedModel):
    """An accepted pairing of a request and an offer, with the chat room it opened."""

    request = models.ForeignKey(HelpListing, on_delete=models.CASCADE, related_name="matches_as_request")
    offer = models.ForeignKey(HelpListing, on_delete=models.CASCADE, related_name="matches_as_offer")
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helped = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    conversation = models.ForeignKey(
        "realtime.Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "offer"], name="help_match_unique_pair")]


class HoursStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for the other person"
    CONFIRMED = "confirmed", "Confirmed by both"


class HoursEntry(TimeStampedModel):
    """Hours of help on a match. Counted in the ledger only once both people confirmed the same figure."""

    match = models.ForeignKey(HelpMatch, on_delete=models.CASCADE, related_name="hours")
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    helper_confirmed = models.BooleanField(default=False)
    helped_confirmed = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=HoursStatus.choices, default=HoursStatus.PROPOSED)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=HOURS_MAX), name="hours_entry_in_range"
            ),
            # At most one entry waiting for confirmation per match.
            models.UniqueConstraint(fields=["match"], condition=Q(status="proposed"), name="hours_one_proposed"),
        ]


class HelpThanksOptIn(TimeStampedModel):
    """A member agreed to be thanked by name on the community's helpers page."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="help_thanks_opt_in_unique")]


class ProxyActionKind(models.TextChoices):
    LISTING_CREATE = "listing_create", "Posted a listing"
    MATCH_ACCEPT = "match_accept", "Accepted a match"


class ProxyAction(TimeStampedModel):
    """A moderator acted for a member who is not online (an elder without a smartphone)."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=20, choices=ProxyActionKind.choices)
    listing = models.ForeignKey(HelpListing, null=True, on_delete=models.SET_NULL, related_name="+")
    match = models.ForeignKey(HelpMatch, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=REASON_MAX)

    class Meta:
        indexes = [models.Index(fields=["community", "created_at"], name="proxy_action_log")]
