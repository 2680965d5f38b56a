from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    REPLY = "reply", "Replies to my posts and comments"
    REACTION = "reaction", "Reactions to my posts"
    MENTION = "mention", "Mentions"
    MESSAGE = "message", "Chat messages"
    VERIFICATION = "verification", "Verification outcomes"
    MODERATION = "moderation", "Moderation outcomes"
    GROUP = "group", "Group join requests and news"
    HELP = "help", "Help exchange matches"
    OFFER = "offer", "Offer claims (merchants)"
    ALERT = "alert", "Urgent safety alerts"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "E-mail me straight away"
    DIGEST = "digest", "Include in my daily digest"
    NEVER = "never", "No e-mail (in the app only)"


# E-mail delivery when a member has not chosen: outcomes that change what they can do come at
# once; the chatter of a busy neighbourhood waits for the digest.
DEFAULT_DELIVERY = {
    Kind.REPLY: Delivery.DIGEST,
    Kind.REACTION: Delivery.NEVER,
    Kind.MENTION: Delivery.DIGEST,
    Kind.MESSAGE: Delivery.DIGEST,
    Kind.VERIFICATION: Delivery.IMMEDIATE,
    Kind.MODERATION: Delivery.IMMEDIATE,
    Kind.GROUP: Delivery.DIGEST,
    Kind.HELP: Delivery.IMMEDIATE,
    Kind.OFFER: Delivery.DIGEST,
    Kind.ALERT: Delivery.IMMEDIATE,
}
# Urgent safety alerts are always e-mailed at once: a member cannot turn them into a digest.
ALWAYS_IMMEDIATE = {Kind.ALERT}
# Kinds kept as one item per thing (post, conversation) that is updated instead of repeated.
GROUPED = {Kind.REACTION, Kind.MESSAGE}


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.CharField(max_length=1000, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Set while one worker is e-mailing it (a lease: taken over only after EMAIL_LEASE, see services).
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey("Digest", null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    # Who caused it (a block rule filters on it); null for the system or a deleted account.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    # What it is about ("post:12", "conversation:7"): opening that thing marks it read, and grouped
    # kinds keep one item per (recipient, kind, target).
    target = models.CharField(max_length=60, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_recipient_id"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # By target (a hidden post withdraws its items) and by recipient + target (opened: read).
            models.Index(fields=["target", "recipient"], name="notification_target",
                         condition=~models.Q(target="")),
        ]
        constraints = [
            # GROUPED kinds: one item per thing (services replace it; concurrent senders retry).
            models.UniqueConstraint(fields=["recipient", "kind", "target"], name="notification_one_per_group",
                                    condition=models.Q(kind__in=["reaction", "message"]) & ~models.Q(target="")),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.title}"


class Preference(models.Model):
    """A member's choice of e-mail delivery for one kind; absent means DEFAULT_DELIVERY."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_unique_user_kind")]


class Digest(models.Model):
    """One daily digest e-mail. The unique (user, day) row is claimed before sending, so a
    digest task that runs twice (retry, two beat processes) sends one e-mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_unique_user_day")]
