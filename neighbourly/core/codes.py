"""One-time codes sent by post: generation, hashing, checking, and the wrong-try counter.

Shared by every app that proves an address by mail (verification's address claims, merchants'
business addresses):
- `IssuedCodeBase`: an abstract model for one issued code (hash only, expiry, single use);
- `CodeAttemptsMixin`: abstract fields for the thing being proven (a claim, a business) that
  count wrong tries in the database and lock it with a growing back-off;
- `code_generate`, `code_hash`, `code_check`: the logic, with no knowledge of what is proven.

The raw code is never stored: it exists only in the response that prints or exports it.
The hash binds the code to its purpose and subject, so a code for one claim can never
match another. A check always computes one HMAC and one constant-time comparison, whether
or not a live code exists, and every failure gives the same answer.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# No 0/O, 1/I/L: codes are read off paper and typed by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_LIFETIME = timedelta(days=30)
MAX_WRONG_TRIES = 5
FIRST_LOCK = timedelta(minutes=15)
LONGEST_LOCK = timedelta(days=7)
WRONG_CODE_MESSAGE = "That code is not valid. Check it against your card, or ask for a new one."

_TRANSLATE = str.maketrans({"O": "0", "I": "1", "L": "1"})  # what people type for the missing letters


def _key() -> bytes:
    # The label is this module's old home (verification.codes): kept, so codes already issued still match.
    return hashlib.sha256(b"neighbourly.verification.codes|" + settings.SECRET_KEY.encode()).digest()


def code_generate() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_format(code: str) -> str:
    """ABCD-EFGH, as printed."""
    return f"{code[:4]}-{code[4:]}"


def code_normalise(raw: str) -> str:
    """Upper case, spaces and dashes off; O/I/L become 0/1 and so can never match."""
    text = "".join(c for c in (raw or "").upper() if c.isalnum())[:32]
    return text.translate(_TRANSLATE)


def code_hash(*, purpose: str, subject_id: int, code: str) -> str:
    message = f"{purpose}|{subject_id}|{code_normalise(code)}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


class IssuedCodeBase(models.Model):
    """One code as issued: its hash, when it dies, whether it was used or replaced."""

    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def is_live(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > now


class CodeAttemptsMixin(models.Model):
    """Wrong tries, counted on the proven object itself: no session or login resets them."""

    failed_code_attempts = models.PositiveIntegerField(default=0)
    code_locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def code_locked(self, now: datetime) -> bool:
        return self.code_locked_until is not None and self.code_locked_until > now


def lock_duration(failed_attempts: int) -> timedelta | None:
    """No lock before the 5th wrong try; then 15 min, 1 h, 4 h, … doubling twice per 5 tries."""
    if failed_attempts < MAX_WRONG_TRIES:
        return None
    rounds = failed_attempts // MAX_WRONG_TRIES
    if failed_attempts % MAX_WRONG_TRIES:
        return None
    return min(FIRST_LOCK * (4 ** min(rounds - 1, 10)), LONGEST_LOCK)


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    locked: bool = False
    locked_until: datetime | None = None
    newly_locked: bool = False  # this try caused the lock (worth an audit entry)


_DUMMY_HASH = "0" * 64


def code_check(
    *, holder: CodeAttemptsMixin, live_code: IssuedCodeBase | None, purpose: str, raw: str, now=None
) -> CodeCheck:
    """Check a typed code against the holder's one live code, updating both in memory.

    The caller holds a row lock on `holder` and saves both afterwards (even on failure: the
    counter must survive the transaction). While locked, nothing is compared at all.
    """
    now = now or timezone.now()
    if holder.code_locked(now):
        return CodeCheck(ok=False, locked=True, locked_until=holder.code_locked_until)
    typed = code_hash(purpose=purpose, subject_id=holder.pk, code=raw)
    usable = live_code is not None and live_code.is_live(now)
    expected = live_code.code_hash if usable else _DUMMY_HASH
    matches = hmac.compare_digest(typed, expected) and usable
    if matches:
        live_code.used_at = now
        holder.failed_code_attempts = 0
        holder.code_locked_until = None
        return CodeCheck(ok=True)
    holder.failed_code_attempts += 1
    duration = lock_duration(holder.failed_code_attempts)
    if duration is not None:
        holder.code_locked_until = now + duration
        return CodeCheck(ok=False, locked=True, locked_until=holder.code_locked_until, newly_locked=True)
    return CodeCheck(ok=False)
