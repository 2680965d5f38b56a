"""Address claims, their evidence, and the record of every decision."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from neighbourly.core.codes import CodeAttemptsMixin, IssuedCodeBase
from neighbourly.core.models import TimeStampedModel
from neighbourly.core.storage import private_storage  # 0001_initial names it as this module's


class Method(models.TextChoices):
    POSTCARD = "postcard", "Postcard with a code"
    VOUCH = "vouch", "Two neighbours vouch"
    DOCUMENT = "document", "A document"
    GEOLOCATION = "geolocation", "My location"
    REGISTER = "register", "Property register"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", "Waiting for evidence"
    REVIEW = "review", "With the moderators"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Not accepted"
    REVOKED = "revoked", "Revoked"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (ClaimStatus.PENDING, ClaimStatus.REVIEW)


def _vouch_token() -> str:
    return secrets.token_urlsafe(18)


class Claim(CodeAttemptsMixin, TimeStampedModel):
    """A user says they live at an address. Open while pending or in review."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="address_claims"
    )
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    address = models.ForeignKey(
        "communities.Address", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    typed_address = models.CharField(
        max_length=200, blank=True, help_text="Where the community has no register"
    )
    address_key = models.CharField(max_length=200)
    method = models.CharField(max_length=12, choices=Method.choices)
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    review_reason = models.CharField(max_length=200, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True, help_text="Shown to the member")
    decided_at = models.DateTimeField(null=True, blank=True)
    vouch_token = models.CharField(max_length=32, unique=True, default=_vouch_token)
    # Geolocation evidence, coarsened to 3 decimals (about 100 m) before it is stored.
    geo_lat = models.FloatField(null=True, blank=True)
    geo_lon = models.FloatField(null=True, blank=True)
    geo_accuracy_m = models.PositiveIntegerField(null=True, blank=True)
    geo_distance_m = models.PositiveIntegerField(null=True, blank=True)
    geo_accepted = models.BooleanField(null=True, blank=True)
    geo_at = models.DateTimeField(null=True, blank=True)
    # Document evidence, in private storage; deleted as soon as the claim is decided or abandoned.
    document = models.FileField(
        storage=private_storage, upload_to="verification/%Y/%m/", blank=True, max_length=200
    )
    document_kind = models.CharField(max_length=10, blank=True)
    document_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community", "address_key"],
                condition=Q(status__in=["pending", "review"]),
                name="claim_one_open_per_user_address",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status"], name="claim_community_status"),
            models.Index(fields=["user", "status"], name="claim_user_status"),
        ]

    def __str__(self) -> str:
        return f"claim {self.pk} by {self.user_id} ({self.method}, {self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def address_label(self) -> str:
        return self.address.label if self.address_id else self.typed_address

    @property
    def street(self) -> str:
        """What a neighbour may see: the street, never the house number."""
        if self.address_id:
            return self.address.street
        return ""


class PostcardBatch(models.Model):
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["community", "-created_at"], name="postcardbatch_community")]


class Postcard(IssuedCodeBase):
    """One code for one claim. Re-issuing revokes the previous live one."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="postcards")
    batch = models.ForeignKey(PostcardBatch, on_delete=models.CASCADE, related_name="postcards")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="postcard_one_live_per_claim",
            )
        ]


class Vouch(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="vouches")
    voucher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vouches_given"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "voucher"], name="vouch_once_per_claim")]
        indexes = [models.Index(fields=["voucher", "created_at"], name="vouch_voucher_time")]


class RegisterUpload(models.Model):
    """A property manager's census of units and residents; the latest upload replaces earlier ones."""

    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)


class RegisterEntry(models.Model):
    upload = models.ForeignKey(RegisterUpload, on_delete=models.CASCADE, related_name="entries")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    address_key = models.CharField(max_length=200)
    address_text = models.CharField(max_length=200)
    name = models.CharField(max_length=120, blank=True)
    email = models.CharField(max_length=254, blank=True)

    class Meta:
        indexes = [models.Index(fields=["community", "address_key", "email"], name="registerentry_match")]


class Outcome(models.TextChoices):
    SUBMITTED = "submitted", "Claim made"
    REVIEW = "review", "Sent to moderators"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"
    REVOKED = "revoked", "Revoked"
    WITHDRAWN = "withdrawn", "Withdrawn"
    LOCKED = "locked", "Locked after wrong codes"
    CODE_ISSUED = "code_issued", "Postcard code issued"


class ClaimDecision(models.Model):
    """The audit log: who (null = the system, by a rule), which method, what evidence, when, why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="decisions")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=12, choices=Method.choices)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    evidence = models.CharField(max_length=500, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["community", "-id"], name="claimdecision_community")]
        ordering = ["-id"]
