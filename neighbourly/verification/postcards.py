"""Moderators' postcard batches: issue codes for pending postcard claims, print or export, mark sent.

Codes are stored hashed, so a batch's raw codes exist only in the response that issues them
(the printable page or the CSV). Printing again re-issues: the earlier cards stop working.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from neighbourly.communities.models import Community
from neighbourly.core.codes import CODE_LIFETIME, code_format, code_generate, code_hash
from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.verification.methods.postcard import CODE_PURPOSE
from neighbourly.verification.models import (
    OPEN_STATUSES,
    Claim,
    ClaimDecision,
    ClaimStatus,
    Method,
    Outcome,
    Postcard,
    PostcardBatch,
)

MAX_BATCH = 500


@dataclass(frozen=True)
class PrintedCard:
    claim_id: int
    name: str
    address: str
    street_lines: list[str]
    code: str
    expires_at: datetime


def _card_lines(claim: Claim) -> list[str]:
    a = claim.address
    if a is None:
        return [claim.typed_address]
    first = f"Flat {a.unit}, {a.number} {a.street}" if a.unit else f"{a.number} {a.street}"
    return [line for line in (first, a.city, a.postcode) if line]


@transaction.atomic
def postcard_batch_create(
    *, moderator, community: Community, claim_ids: list[int] | None = None
) -> tuple[PostcardBatch, list[PrintedCard]]:
    """Issue codes for the pending postcard claims that have none (or re-issue for `claim_ids`)."""
    now = timezone.now()
    claims = (
        Claim.objects.select_for_update(of=("self",))
        .filter(community=community, method=Method.POSTCARD, status=ClaimStatus.PENDING)
        .exclude(user=moderator)  # one's own card is printed by another moderator
        .select_related("user__profile", "address")
        .order_by("id")
    )
    if claim_ids is not None:
        claims = claims.filter(pk__in=claim_ids)
    else:
        live = Postcard.objects.filter(
            claim=OuterRef("pk"), used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        )
        claims = claims.filter(~Exists(live))
    claims = list(claims[:MAX_BATCH])
    if not claims:
        raise ApplicationError("No pending postcard claims need a code.")
    batch = PostcardBatch(community=community, created_by=moderator)
    batch.save()
    Postcard.objects.filter(claim__in=claims, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    cards, postcards, decisions = [], [], []
    for claim in claims:
        code = code_generate()
        postcards.append(
            Postcard(
                claim=claim,
                batch=batch,
                expires_at=now + CODE_LIFETIME,
                code_hash=code_hash(purpose=CODE_PURPOSE, subject_id=claim.pk, code=code),
            )
        )
        decisions.append(
            ClaimDecision(
                claim=claim,
                community=community,
                actor=moderator,
                method=Method.POSTCARD,
                outcome=Outcome.CODE_ISSUED,
                evidence=f"postcard batch {batch.pk}",
            )
        )
        cards.append(
            PrintedCard(
                claim_id=claim.pk,
                name=claim.user.profile.display_name,
                address=claim.address_label,
                street_lines=_card_lines(claim),
                code=code_format(code),
                expires_at=now + CODE_LIFETIME,
            )
        )
    Postcard.objects.bulk_create(postcards)
    ClaimDecision.objects.bulk_create(decisions)
    return batch, cards


@transaction.atomic
def postcard_batch_reissue(
    *, moderator, community: Community, batch_id: int
) -> tuple[PostcardBatch, list[PrintedCard]]:
    """Print a batch again: new codes for its still-pending claims; the old cards die."""
    old = PostcardBatch.objects.filter(pk=batch_id, community=community).first()
    if old is None:
        raise NotFound()
    claim_ids = list(
        Claim.objects.filter(postcards__batch=old, status__in=OPEN_STATUSES).values_list("id", flat=True)
    )
    return postcard_batch_create(moderator=moderator, community=community, claim_ids=claim_ids)


@transaction.atomic
def postcard_batch_mark_sent(*, moderator, community: Community, batch_id: int) -> PostcardBatch:
    batch = PostcardBatch.objects.select_for_update().filter(pk=batch_id, community=community).first()
    if batch is None:
        raise NotFound()
    if batch.sent_at is None:
        batch.sent_at = timezone.now()
        batch.sent_by = moderator
        batch.save(update_fields=["sent_at", "sent_by"])
    return batch
