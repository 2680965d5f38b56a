from django.conf import settings
from django.db import models

from neighbourly.core.models import TimeStampedModel


class TargetType(models.TextChoices):
    POST = "post", "Post"
    COMMENT = "comment", "Comment"


class Report(TimeStampedModel):
    """A member's report on a piece of content. The moderation queue is built on these."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="reports")
    target_type = models.CharField(max_length=20, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"], name="report_one_per_reporter_target"
            )
        ]
        indexes = [models.Index(fields=["community", "created_at"], name="report_community_time")]

    def __str__(self) -> str:
        return f"{self.target_type} {self.target_id} reported by {self.reporter_id}"
