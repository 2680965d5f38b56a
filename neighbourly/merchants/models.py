"""Businesses, the communities they serve, their offers, and what residents do with offers.

Counts a feed card or a dashboard shows (claims, saves, redemptions, impressions) are kept on
the offer and updated by the services, so no list ever aggregates.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from neighbourly.core.codes import CodeAttemptsMixin, IssuedCodeBase
from neighbourly.core.models import TimeStampedModel
from neighbourly.core.storage import private_storage

NAME_MAX = 120
OFFER_TITLE_MAX = 120
OFFER_BODY_MAX = 2000
MAX_PHOTOS = 6


class Category(models.TextChoices):
    FOOD = "food", "Food & drink"
    SHOP = "shop", "Shop"
    SERVICES = "services", "Services"
    HEALTH = "health", "Health & beauty"
    TRADES = "trades", "Trades & repairs"
    OTHER = "other", "Other"


class ProofMethod(models.TextChoices):
    POSTCARD = "postcard", "Postcard with a code"
    DOCUMENT = "document", "A document (business rates, lease, utility bill)"


class Business(CodeAttemptsMixin, TimeStampedModel):
    """A local business. Invisible to residents until its address is proven and a moderator of
    the community approved it there. The postcard code machinery is core.codes'."""

    name = models.CharField(max_length=NAME_MAX)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    address = models.CharField(max_length=200, help_text="The business's own address (public once verified)")
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    opening_hours = models.CharField(max_length=300, blank=True)
    description = models.TextField(max_length=2000, blank=True)
    logo = models.CharField(max_length=200, blank=True)  # core.images private storage name
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proof_method = models.CharField(max_length=10, choices=ProofMethod.choices, default=ProofMethod.POSTCARD)
    address_verified_at = models.DateTimeField(null=True, blank=True)
    address_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Document proof, in the private storage (core.storage); deleted once a moderator decided.
    document = models.FileField(storage=private_storage, upload_to="merchants/%Y/%m/", blank=True, max_length=200)
    document_kind = models.CharField(max_length=10, blank=True)
    document_at = models.DateTimeField(null=True, blank=True)
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, through="BusinessOwner", related_name="businesses")
    # Hidden by moderation (reported, pending review or removed): residents no longer see it.
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "businesses"

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.address_verified_at is not None


class BusinessOwner(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="ownerships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="business_ownerships")
    created_at = models.DateTimeField(auto_now_add=True)
    # Opt-in: named on the business page (linking to their profile card, so neighbours can message them).
    reachable = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["business", "user"], name="business_owner_once")]


class ServedStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a moderator"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class ServedCommunity(models.Model):
    """A community the business serves, and that community's moderators' decision on it."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="served")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=ServedStatus.choices, default=ServedStatus.PENDING)
    distance_m = models.PositiveIntegerField(null=True, blank=True, help_text="From the business to the community")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["business", "community"], name="served_once")]
        indexes = [models.Index(fields=["community", "status"], name="served_community_status")]


class BusinessPostcard(IssuedCodeBase):
    """A postcard code mailed to the business address by a moderator (hash only)."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="postcards")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["business"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="business_postcard_one_live",
            )
        ]


class BusinessPhoto(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="photos")
    file = models.CharField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)


class OfferStatus(models.TextChoices):
    LIVE = "live", "Live"
    PAUSED = "paused", "Paused"  # hidden from feeds and not claimable; codes already given still redeem
    CLOSED = "closed", "Ended"


class Offer(TimeStampedModel):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="offers")
    title = models.CharField(max_length=OFFER_TITLE_MAX)
    body = models.TextField(max_length=OFFER_BODY_MAX, blank=True)
    image = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    max_claims = models.PositiveIntegerField()
    per_household = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.LIVE)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    claims_count = models.PositiveIntegerField(default=0)
    saves_count = models.PositiveIntegerField(default=0)
    redemptions_count = models.PositiveIntegerField(default=0)
    impressions = models.PositiveBigIntegerField(default=0)
    communities = models.ManyToManyField("communities.Community", through="OfferTarget", related_name="+")
    hidden_at = models.DateTimeField(null=True, blank=True)  # hidden by moderation

    class Meta:
        constraints = [
            # The database refuses a claim past the cap even if a service forgot to lock.
            models.CheckConstraint(condition=Q(claims_count__lte=F("max_claims")), name="offer_claims_within_cap"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="offer_window_positive"),
            models.CheckConstraint(condition=Q(max_claims__gte=1) & Q(per_household__gte=1), name="offer_caps_positive"),
        ]
        indexes = [models.Index(fields=["status", "ends_at"], name="offer_status_ends")]

    def __str__(self) -> str:
        return self.title

    @property
    def remaining(self) -> int:
        return max(self.max_claims - self.claims_count, 0)


class OfferTarget(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="targets")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "offer"], name="offer_target_once")]


class OfferSave(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="saves")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "offer"], name="offer_save_once")]


class OfferClaim(models.Model):
    """A resident's claim: a one-time code for the counter. The household is the claimant's
    membership address in that community (kept as an opaque key, never shown to the merchant)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offer_claims")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    household_key = models.CharField(max_length=40)
    code = models.CharField(max_length=16, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "offer"], name="offer_claim_once_per_user")]
        indexes = [models.Index(fields=["offer", "household_key"], name="offer_claim_household")]


class Recommendation(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="recommendations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey("communities.Community", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["business", "user"], name="recommend_once")]
