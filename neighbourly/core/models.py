from django.db import models


class TimeStampedModel(models.Model):
    """Base for every domain model: creation and update times."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OutboxTask(models.Model):
    """A task call written in the same transaction as the change that needs it (core.outbox): it is
    published once that commits, and again by the drain until the broker has taken it."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="outbox_created")]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
