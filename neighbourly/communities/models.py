from django.conf import settings
from django.db import models
from django.db.models import Q

from neighbourly.core.models import TimeStampedModel

# Verification methods a community may enable (the strategies live in neighbourly.verification.methods).
VERIFICATION_METHOD_NAMES = ("postcard", "vouch", "document", "geolocation", "register")


def default_verification_methods() -> list[str]:
    return list(VERIFICATION_METHOD_NAMES)


class Community(TimeStampedModel):
    """A neighbourhood: its own feed, groups and moderators, inside a boundary polygon."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    boundary = models.JSONField(help_text="GeoJSON Polygon or MultiPolygon geometry, WGS84 lon/lat")
    # Bounding box of the boundary, for quick candidate filtering without a spatial database.
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    nearby = models.ManyToManyField("self", symmetrical=True, blank=True)
    household_cap = models.PositiveSmallIntegerField(
        default=6, help_text="Verified members per address before further claims go to review"
    )
    # Verification settings, per community (see neighbourly.verification).
    verification_methods = models.JSONField(
        default=default_verification_methods,
        blank=True,
        help_text="Enabled methods: any of postcard, vouch, document, geolocation, register",
    )
    geolocation_radius_m = models.PositiveIntegerField(
        default=100, help_text="Largest distance from the address point for a location to count"
    )
    geolocation_max_accuracy_m = models.PositiveIntegerField(
        default=50, help_text="Worst reported accuracy (metres) for a location to count"
    )
    geolocation_suffices = models.BooleanField(
        default=False, help_text="Whether a good location alone verifies, or only hints to moderators"
    )
    vouches_required = models.PositiveSmallIntegerField(default=2)
    vouch_min_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days a resident must have been verified before vouching"
    )
    vouch_monthly_quota = models.PositiveSmallIntegerField(
        default=3, help_text="Vouches one resident may give in 30 days"
    )

    class Meta:
        verbose_name_plural = "communities"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Address(models.Model):
    """One dwelling of the register. `key` is the normalised form used to match typed addresses."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="addresses")
    number = models.CharField(max_length=20)
    street = models.CharField(max_length=120)
    unit = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    lon = models.FloatField()
    lat = models.FloatField()
    key = models.CharField(max_length=200)
    street_key = models.CharField(max_length=120)
    number_key = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "key"], name="address_unique_key")]
        indexes = [
            models.Index(fields=["number_key", "street_key"], name="address_number_street"),
            models.Index(fields=["community", "street_key"], name="address_community_street"),
        ]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        unit = f"Flat {self.unit}, " if self.unit else ""
        place = ", ".join(p for p in (self.city, self.postcode) if p)
        return f"{unit}{self.number} {self.street}" + (f", {place}" if place else "")


class Role(models.TextChoices):
    RESIDENT = "resident", "Resident"
    MODERATOR = "moderator", "Moderator"
    PROPERTY_MANAGER = "property_manager", "Property manager"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "Pending verification"
    VERIFIED = "verified", "Verified"
    SUSPENDED = "suspended", "Suspended"


class Membership(TimeStampedModel):
    """A user's place in a community: which address, which role, whether verified."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    address = models.ForeignKey(Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RESIDENT)
    status = models.CharField(max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.PENDING)
    verified_at = models.DateTimeField(null=True, blank=True)
    # Set with status "suspended" by moderation; once it has passed the member counts as verified
    # again (lifted on the next read through the selectors, and by a periodic task).
    suspended_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "community"], name="membership_unique_user_community"),
            models.CheckConstraint(
                condition=Q(status="verified", verified_at__isnull=False) | ~Q(status="verified"),
                name="membership_verified_has_time",
            ),
        ]
        indexes = [models.Index(fields=["community", "status"], name="membership_community_status")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.community_id} ({self.role}, {self.status})"

    @property
    def is_verified(self) -> bool:
        return self.status == MembershipStatus.VERIFIED

    @property
    def is_moderator(self) -> bool:
        return self.is_verified and self.role == Role.MODERATOR
