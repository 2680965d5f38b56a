"""The claim lifecycle, the same for every method: create, evidence, decide, revoke, withdraw.

Methods (neighbourly.verification.methods) judge evidence; this module applies their
outcome: the household cap, the membership, the audit record and the member's e-mail.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from neighbourly.communities.addressing import address_key, parse_address
from neighbourly.communities.models import Address, Community, Membership, MembershipStatus
from neighbourly.communities.selectors import community_get_for_moderator, membership_get
from neighbourly.communities.services import (
    membership_start,
    membership_start_unaddressed,
    membership_unverify,
    membership_verify,
)
from neighbourly.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from neighbourly.core.ratelimit import rate_limit
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.verification.methods import Outcome as MethodOutcome
from neighbourly.verification.methods import method_get
from neighbourly.verification.models import OPEN_STATUSES, Claim, ClaimDecision, ClaimStatus, Method, Outcome

CAP_REASON = "household cap reached"
TYPED_REASON = "typed address: no register to match"


def _record(*, claim: Claim, actor, outcome: str, evidence: str = "", reason: str = "") -> ClaimDecision:
    decision = ClaimDecision(
        claim=claim,
        community_id=claim.community_id,
        actor=actor,
        method=claim.method,
        outcome=outcome,
        evidence=evidence[:500],
        reason=reason[:500],
    )
    decision.save()
    return decision


def _notify(decision: ClaimDecision) -> None:
    """In-app now (same transaction); the socket event and e-mail go out on commit."""
    from neighbourly.verification.notify import claim_decision_notify

    claim_decision_notify(decision=decision)


def household_count(*, community_id: int, key: str, address_id: int | None) -> int:
    """Verified households at one address: verified claims by key, plus verified members of that address."""
    claim_users = set(
        Claim.objects.filter(
            community_id=community_id, address_key=key, status=ClaimStatus.VERIFIED
        ).values_list("user_id", flat=True)
    )
    if address_id is not None:
        claim_users |= set(
            Membership.objects.filter(
                community_id=community_id, address_id=address_id, status=MembershipStatus.VERIFIED
            ).values_list("user_id", flat=True)
        )
    return len(claim_users)


def _over_cap(claim: Claim) -> bool:
    count = household_count(
        community_id=claim.community_id, key=claim.address_key, address_id=claim.address_id
    )
    return count >= claim.community.household_cap


def _close_side_effects(claim: Claim) -> None:
    for name in Method.values:
        method_get(name).cleanup(claim=claim)


def _verify(*, claim: Claim, actor, evidence: str, reason: str = "") -> ClaimDecision:
    if claim.address_id:
        membership = membership_start(user=claim.user, address=claim.address)
    else:
        membership = membership_start_unaddressed(user=claim.user, community=claim.community)
    if not membership.is_verified:
        membership_verify(membership=membership)
    claim.status = ClaimStatus.VERIFIED
    claim.decided_at = timezone.now()
    claim.decision_reason = reason
    claim.review_reason = ""
    claim.save(update_fields=["status", "decided_at", "decision_reason", "review_reason", "updated_at"])
    _close_side_effects(claim)
    decision = _record(claim=claim, actor=actor, outcome=Outcome.VERIFIED, evidence=evidence, reason=reason)
    # Other open claims of the same person in this community are moot now.
    for other in Claim.objects.filter(
        user_id=claim.user_id, community_id=claim.community_id, status__in=OPEN_STATUSES
    ):
        _close(claim=other, actor=None, status=ClaimStatus.WITHDRAWN, reason="verified at another address")
    _notify(decision)
    return decision


def _to_review(*, claim: Claim, actor, reason: str, evidence: str) -> None:
    claim.status = ClaimStatus.REVIEW
    claim.review_reason = reason[:200]
    claim.save(update_fields=["status", "review_reason", "updated_at"])
    _record(claim=claim, actor=actor, outcome=Outcome.REVIEW, evidence=evidence, reason=reason)


def _close(*, claim: Claim, actor, status: str, reason: str) -> ClaimDecision:
    claim.status = status
    claim.decided_at = timezone.now()
    claim.decision_reason = reason[:500]
    claim.save(update_fields=["status", "decided_at", "decision_reason", "updated_at"])
    _close_side_effects(claim)
    outcome = {ClaimStatus.REJECTED: Outcome.REJECTED, ClaimStatus.REVOKED: Outcome.REVOKED}.get(
        status, Outcome.WITHDRAWN
    )
    return _record(claim=claim, actor=actor, outcome=outcome, reason=reason)


def apply_outcome(*, claim: Claim, actor, outcome: MethodOutcome) -> None:
    """Turn a method's judgement into state. A method never verifies past the household cap."""
    if outcome.result == MethodOutcome.VERIFIED:
        if _over_cap(claim):
            _to_review(claim=claim, actor=None, reason=CAP_REASON, evidence=outcome.summary)
        else:
            _verify(claim=claim, actor=None, evidence=outcome.summary)
    elif outcome.result == MethodOutcome.REVIEW:
        _to_review(
            claim=claim,
            actor=actor,
            reason=outcome.review_reason or "evidence to check",
            evidence=outcome.summary,
        )
    elif outcome.extra.get("locked"):
        _record(claim=claim, actor=None, outcome=Outcome.LOCKED, evidence=outcome.summary)


def _require_method(community: Community, method: str):
    strategy = method_get(method)
    if not strategy.is_enabled(community):
        raise ApplicationError(f"{community.name} does not use the method '{method}'.")
    return strategy


@transaction.atomic
def claim_create(
    *,
    user,
    method: str,
    address: Address | None = None,
    community: Community | None = None,
    typed_address: str = "",
    ip: str | None = None,
) -> Claim:
    """Claim a register address, or (where the community has no register) a typed one."""
    if address is not None:
        community = address.community
        key = address.key
        typed_address = ""
    else:
        if community is None:
            raise ApplicationError("Choose an address from the register.")
        if community.addresses.exists():
            raise ApplicationError(
                "Choose your address from the register: search for it by number and street."
            )
        typed_address = (typed_address or "").strip()
        parsed = parse_address(typed_address)
        if parsed is None:
            raise ApplicationError("Type your address with its house number and street.")
        key = address_key(number=parsed.number, street=parsed.street, unit=parsed.unit)
    strategy = _require_method(community, method)
    membership = membership_get(user=user, community=community)
    if membership is not None and membership.is_verified:
        raise Conflict(f"You are already a verified resident of {community.name}.")
    if membership is not None and membership.status == MembershipStatus.SUSPENDED:
        raise NotFound()
    rate_limit("address_claim", user=user, ip=ip)
    if address is not None:
        membership_start(user=user, address=address)
    else:
        membership_start_unaddressed(user=user, community=community)
    claim = Claim(
        user=user,
        community=community,
        address=address,
        typed_address=typed_address[:200],
        address_key=key,
        method=method,
    )
    full_clean_or_raise(
        claim, exclude=["user", "community", "address", "document"], validate_constraints=False
    )
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:
        raise Conflict("You already have an open claim for this address.") from None
    _record(claim=claim, actor=user, outcome=Outcome.SUBMITTED, evidence=f"method {method}")
    _after_create(claim=claim, actor=user, strategy=strategy)
    return claim


def _after_create(*, claim: Claim, actor, strategy) -> None:
    register = method_get(Method.REGISTER)
    if register.is_enabled(claim.community):
        outcome = register.on_claim_created(claim=claim)
        if outcome.result == MethodOutcome.VERIFIED:
            apply_outcome(claim=claim, actor=actor, outcome=outcome)
            return
    if claim.address_id is None:
        _to_review(claim=claim, actor=None, reason=TYPED_REASON, evidence=claim.typed_address)
        return
    if _over_cap(claim):
        _to_review(claim=claim, actor=None, reason=CAP_REASON, evidence="")
        return
    outcome = strategy.on_claim_created(claim=claim)
    if outcome.result != MethodOutcome.PENDING:
        apply_outcome(claim=claim, actor=actor, outcome=outcome)


def _lock_claim(*, claim_id: int) -> Claim:
    claim = (
        Claim.objects.select_for_update(no_key=True, of=("self",))
        .select_related("community", "address", "user")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise NotFound()
    return claim


def _lock_own_open_claim(*, user, claim_id: int) -> Claim:
    claim = _lock_claim(claim_id=claim_id)
    if claim.user_id != user.pk:
        raise NotFound()
    if not claim.is_open:
        raise ApplicationError("This claim is closed.")
    return claim


@transaction.atomic
def claim_change_method(*, user, claim_id: int, method: str) -> Claim:
    claim = _lock_own_open_claim(user=user, claim_id=claim_id)
    strategy = _require_method(claim.community, method)
    if claim.method == method:
        return claim
    claim.method = method
    claim.save(update_fields=["method", "updated_at"])
    _record(claim=claim, actor=user, outcome=Outcome.SUBMITTED, evidence=f"switched to method {method}")
    if claim.status == ClaimStatus.PENDING:
        outcome = strategy.on_claim_created(claim=claim)
        if outcome.result != MethodOutcome.PENDING:
            apply_outcome(claim=claim, actor=user, outcome=outcome)
    return claim


def claim_submit_evidence(*, user, claim_id: int, method: str, vouch_token: str = "", **data) -> Claim:
    """Evidence for one method: a code, a document, a location (by the claimant) or a vouch."""
    with transaction.atomic():
        if method == Method.VOUCH:
            from neighbourly.verification.methods.vouch import vouch_require_valid_token

            claim = _lock_claim(claim_id=claim_id)
            vouch_require_valid_token(claim=claim, token=vouch_token)
        else:
            claim = _lock_own_open_claim(user=user, claim_id=claim_id)
        strategy = _require_method(claim.community, method)
        if claim.method != method and method in (Method.POSTCARD, Method.VOUCH):
            raise ApplicationError(f"This claim does not use the method '{method}'.")
        if (
            claim.status == ClaimStatus.REVIEW
            and method == Method.POSTCARD
            and claim.review_reason == CAP_REASON
        ):
            raise ApplicationError("Your claim is with the moderators.")
        outcome = strategy.submit(claim=claim, actor=user, **data)
        if not (claim.status == ClaimStatus.REVIEW and outcome.result == MethodOutcome.REVIEW):
            apply_outcome(claim=claim, actor=user, outcome=outcome)
        elif outcome.summary:
            claim.review_reason = outcome.review_reason[:200] or claim.review_reason
            claim.save(update_fields=["review_reason", "updated_at"])
            _record(claim=claim, actor=user, outcome=Outcome.REVIEW, evidence=outcome.summary)
    if outcome.error is not None:
        raise outcome.error  # after commit: the wrong try stays counted
    claim.refresh_from_db()
    return claim


def _lock_claim_for_moderator(*, moderator, claim_id: int) -> Claim:
    claim = _lock_claim(claim_id=claim_id)
    community_get_for_moderator(user=moderator, slug=claim.community.slug)  # NotFound for anyone else
    return claim


@transaction.atomic
def claim_decide(*, moderator, claim_id: int, approve: bool, reason: str = "") -> Claim:
    claim = _lock_claim_for_moderator(moderator=moderator, claim_id=claim_id)
    reason = (reason or "").strip()
    if not claim.is_open:
        raise ApplicationError("This claim has already been decided.")
    if claim.user_id == moderator.pk:
        raise PermissionDenied("Another moderator must decide your own claim.")
    if approve:
        evidence = f"moderator approved; {claim.review_reason or claim.method}"
        _verify(claim=claim, actor=moderator, evidence=evidence, reason=reason)
    else:
        if not reason:
            raise ApplicationError("Give a reason: the member will see it.")
        decision = _close(claim=claim, actor=moderator, status=ClaimStatus.REJECTED, reason=reason)
        _notify(decision)
    return claim


@transaction.atomic
def claim_revoke(*, actor, claim_id: int, reason: str = "") -> Claim:
    """End a verification (the member moved away): by the member themselves or a moderator."""
    claim = _lock_claim(claim_id=claim_id)
    if claim.user_id != actor.pk:
        community_get_for_moderator(user=actor, slug=claim.community.slug)
    if claim.status != ClaimStatus.VERIFIED:
        raise ApplicationError("Only a verified claim can be revoked.")
    reason = (reason or "").strip() or ("moved away" if claim.user_id == actor.pk else "")
    if not reason:
        raise ApplicationError("Give a reason: the member will see it.")
    decision = _close(claim=claim, actor=actor, status=ClaimStatus.REVOKED, reason=reason)
    membership = membership_get(user=claim.user, community=claim.community)
    if membership is not None and membership.is_verified:
        membership_unverify(membership=membership)
    _notify(decision)
    return claim


@transaction.atomic
def claim_withdraw(*, user, claim_id: int) -> Claim:
    claim = _lock_own_open_claim(user=user, claim_id=claim_id)
    _close(claim=claim, actor=user, status=ClaimStatus.WITHDRAWN, reason="withdrawn by the member")
    return claim


@transaction.atomic
def claim_abandon(*, claim_id: int, reason: str) -> Claim | None:
    """The sweeper's action on a claim left untouched: withdraw it and drop its evidence."""
    claim = _lock_claim(claim_id=claim_id)
    if claim.is_open:
        _close(claim=claim, actor=None, status=ClaimStatus.WITHDRAWN, reason=reason)
    elif claim.document:
        _close_side_effects(claim)
    return claim


ABANDON_AFTER_DAYS = 60


def claims_sweep_abandoned(*, now=None) -> int:
    """Withdraw open claims untouched for ABANDON_AFTER_DAYS and delete any document a closed claim kept."""
    from datetime import timedelta

    from django.db.models import Q

    now = now or timezone.now()
    stale = Q(status__in=OPEN_STATUSES, updated_at__lt=now - timedelta(days=ABANDON_AFTER_DAYS))
    leftover = ~Q(status__in=OPEN_STATUSES) & ~Q(document="")
    ids = list(Claim.objects.filter(stale | leftover).values_list("id", flat=True)[:500])
    for claim_id in ids:
        claim_abandon(claim_id=claim_id, reason=f"abandoned: no activity for {ABANDON_AFTER_DAYS} days")
    return len(ids)
