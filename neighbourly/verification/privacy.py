"""Personal data held by verification (see accounts/privacy.py): the member's claims and evidence.

Export gives the member their own claims and the decisions on them (never who vouched, beyond a
count). Erasure deletes stored documents from disk before the claim rows go with the user.
"""

from neighbourly.verification.models import Claim, ClaimDecision, Vouch


def export_user_data(*, user) -> dict:
    claims = list(Claim.objects.filter(user=user).select_related("community", "address").order_by("id"))
    decisions = {}
    for d in ClaimDecision.objects.filter(claim__in=claims).order_by("id"):
        decisions.setdefault(d.claim_id, []).append(
            {"outcome": d.outcome, "method": d.method, "reason": d.reason, "at": d.created_at.isoformat()}
        )
    return {
        "address_claims": [
            {
                "community": c.community.slug,
                "address": c.address_label,
                "method": c.method,
                "status": c.status,
                "decision_reason": c.decision_reason,
                "created_at": c.created_at.isoformat(),
                "location": None if c.geo_at is None else {"lat": c.geo_lat, "lon": c.geo_lon},
                "document_on_file": bool(c.document),
                "decisions": decisions.get(c.pk, []),
            }
            for c in claims
        ],
        "vouches_given": Vouch.objects.filter(voucher=user).count(),
    }


def erase_user_data(*, user, keep_content: bool) -> None:
    for claim in Claim.objects.filter(user=user).exclude(document=""):
        claim.document.delete(save=False)
    Claim.objects.filter(user=user).delete()
