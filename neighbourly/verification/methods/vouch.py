"""Vouching: residents verified for a while in the same community say "I know they live here"."""

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from neighbourly.communities.selectors import membership_get
from neighbourly.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, RateLimited
from neighbourly.verification.methods.base import Outcome, VerificationMethod

QUOTA_WINDOW = timedelta(days=30)


class VouchMethod(VerificationMethod):
    name = "vouch"
    label = "Two neighbours vouch"
    instructions = (
        "Share your vouch link with neighbours who know you live here. They see your display name and street, "
        "never your house number. Nothing is posted publicly."
    )

    def submit(self, *, claim, actor, **data) -> Outcome:
        from neighbourly.verification.models import Vouch

        community = claim.community
        if actor.pk == claim.user_id:
            raise PermissionDenied("You cannot vouch for yourself.")
        membership = membership_get(user=actor, community=community)
        if membership is None or not membership.is_verified:
            raise NotFound()
        now = timezone.now()
        if membership.verified_at > now - timedelta(days=community.vouch_min_days):
            raise PermissionDenied(
                f"Only residents verified for at least {community.vouch_min_days} days can vouch."
            )
        if Vouch.objects.filter(claim=claim, voucher=actor).exists():
            raise Conflict("You have already vouched for this neighbour.")
        given = Vouch.objects.filter(voucher=actor, created_at__gte=now - QUOTA_WINDOW).count()
        if given >= community.vouch_monthly_quota:
            raise RateLimited(
                f"You have vouched {given} times in the last 30 days, the most a resident may. Thank you!"
            )
        Vouch(claim=claim, voucher=actor).save()
        voucher_ids = list(
            Vouch.objects.filter(claim=claim).order_by("id").values_list("voucher_id", flat=True)
        )
        if len(voucher_ids) >= community.vouches_required:
            return Outcome(
                Outcome.VERIFIED, summary="vouched for by users " + ", ".join(str(v) for v in voucher_ids)
            )
        return Outcome(Outcome.PENDING, summary=f"vouch {len(voucher_ids)} of {community.vouches_required}")

    def evidence(self, claim) -> dict:
        vouches = getattr(claim, "vouch_list", [])
        return {
            "vouches": len(vouches),
            "required": claim.community.vouches_required,
            "vouchers": [v.voucher.profile.display_name for v in vouches],
        }


def vouch_counts(claim_ids) -> dict[int, int]:
    from neighbourly.verification.models import Vouch

    rows = Vouch.objects.filter(claim_id__in=claim_ids).values("claim_id").annotate(n=Count("id"))
    return {r["claim_id"]: r["n"] for r in rows}


def vouch_require_valid_token(*, claim, token: str) -> None:
    import hmac

    if not token or not hmac.compare_digest(claim.vouch_token.encode(), str(token).encode()):
        raise NotFound()
    if not claim.is_open:
        raise ApplicationError("This claim is no longer open for vouches.")
