import hashlib

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from neighbourly.core.models import TimeStampedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        # Kept for Django's own tooling (createsuperuser, the admin); product code uses user_create.
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        """`neighbourly manage createsuperuser`: a site admin with a profile (every page expects one),
        whose e-mail counts as confirmed (whoever runs the command on the server vouches for it)."""
        extra.update(is_staff=True, is_superuser=True, email_confirmed_at=timezone.now())
        user = self.create_user(email, password, **extra)
        Profile.objects.get_or_create(user=user, defaults={"display_name": "Site admin"})
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A person with a login. Everything they show neighbours lives on Profile."""

    email = models.EmailField(unique=True, max_length=254)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # When the owner proved they read mail at `email` (clicked a confirmation or reset link).
    # An unconfirmed address proves nothing: nothing may trust it (the register match, for one).
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.email

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None


class AgeBand(models.TextChoices):
    B18_24 = "18-24", "18–24"
    B25_34 = "25-34", "25–34"
    B35_49 = "35-49", "35–49"
    B50_64 = "50-64", "50–64"
    B65_79 = "65-79", "65–79"
    B80_PLUS = "80+", "80 and over"


class NeighbourLabel(models.TextChoices):
    NAME_AND_STREET = "name_street", "My display name and street"
    NAME_ONLY = "name_only", "My display name only"


class Profile(TimeStampedModel):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=60)
    bio = models.CharField(max_length=500, blank=True)
    # Private: only ever shown back to its owner, and to others as aggregates of five or more.
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, blank=True)
    # Name of a re-encoded square image in the images storage (neighbourly.core.images); "" if none.
    avatar = models.CharField(max_length=255, blank=True)
    # Privacy: how neighbours see me (never a house number either way), and whether I am listed
    # in my community's directory (opt-in).
    neighbour_label = models.CharField(
        max_length=12, choices=NeighbourLabel.choices, default=NeighbourLabel.NAME_AND_STREET
    )
    in_directory = models.BooleanField(default=False)
    # IANA name ("Europe/London"), detected by the browser and changeable on the account page;
    # "" until known (the server's TIME_ZONE is used meanwhile).
    time_zone = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return self.display_name

    @property
    def shows_street(self) -> bool:
        return self.neighbour_label != NeighbourLabel.NAME_ONLY

    def street_for_neighbours(self, address) -> str | None:
        """The one rule for author labels: the street of `address` unless I chose name only."""
        if address is None or not self.shows_street:
            return None
        return address.street


class ApiToken(TimeStampedModel):
    """A personal access token. Only a SHA-256 of it is stored; the raw token is shown once."""

    PREFIX = "nbly_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)  # first characters, to tell tokens apart in a list
    last_used_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"


class Block(models.Model):
    """`blocker` blocked `blocked`: no direct messages either way, no mentions of the blocker,
    and the blocker no longer sees the blocked person's posts and comments."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocked {self.blocked_id}"
