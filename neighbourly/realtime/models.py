"""Conversations (direct or room), their members with read state, and sequenced messages."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from neighbourly.core.models import TimeStampedModel

MESSAGE_MAX_LENGTH = 4000
CLIENT_ID_MAX_LENGTH = 64


class ConversationKind(models.TextChoices):
    DIRECT = "direct", "Direct"
    ROOM = "room", "Room"


class Conversation(TimeStampedModel):
    """A chat. The row is also the sequence counter: `last_seq` is bumped under a row lock."""

    kind = models.CharField(max_length=10, choices=ConversationKind.choices)
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=120, blank=True)
    # "<smaller user id>:<larger user id>" for direct conversations: one per pair.
    direct_key = models.CharField(max_length=41, null=True, blank=True, unique=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="room") | Q(direct_key__isnull=False), name="conversation_direct_has_key"
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} conversation {self.pk}"


class ConversationMember(TimeStampedModel):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_seq = models.PositiveBigIntegerField(default=0)
    joined_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="conversation_member_unique")
        ]
        indexes = [models.Index(fields=["user", "removed_at"], name="conversation_member_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    # Null once the author deleted their account and chose to leave their messages (anonymised).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    client_id = models.CharField(max_length=CLIENT_ID_MAX_LENGTH)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="message_unique_seq"),
            models.UniqueConstraint(
                fields=["conversation", "author", "client_id"], name="message_unique_client_id"
            ),
        ]
        ordering = ["conversation", "seq"]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.seq}"
