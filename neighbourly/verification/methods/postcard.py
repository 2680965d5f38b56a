"""Postcard: a moderator mails a one-time code to the address; the claimant types it in."""

from django.utils import formats, timezone

from neighbourly.core.codes import WRONG_CODE_MESSAGE, code_check
from neighbourly.core.errors import ApplicationError, RateLimited
from neighbourly.verification.methods.base import Outcome, VerificationMethod

CODE_PURPOSE = "claim-postcard"


class PostcardMethod(VerificationMethod):
    name = "postcard"
    label = "Postcard with a code"
    instructions = (
        "Your moderators will post a card with a code to your address. When it arrives, type the code here."
    )

    def submit(self, *, claim, actor, code: str = "", **data) -> Outcome:
        from neighbourly.verification.models import Postcard

        if actor.pk != claim.user_id:
            raise ApplicationError("Only the claimant can enter the code.")
        now = timezone.now()
        live = Postcard.objects.filter(claim=claim, used_at__isnull=True, revoked_at__isnull=True).first()
        check = code_check(holder=claim, live_code=live, purpose=CODE_PURPOSE, raw=code, now=now)
        claim.save(update_fields=["failed_code_attempts", "code_locked_until", "updated_at"])
        if check.ok:
            live.save(update_fields=["used_at"])
            return Outcome(Outcome.VERIFIED, summary=f"postcard code of batch {live.batch_id} entered")
        if check.locked:
            until = formats.date_format(timezone.localtime(check.locked_until), "j M Y, H:i")
            return Outcome(
                Outcome.PENDING,
                summary=f"{claim.failed_code_attempts} wrong codes; locked until {until}",
                error=RateLimited(f"Too many wrong codes. You can try again after {until}."),
                extra={"locked": check.newly_locked},
            )
        return Outcome(Outcome.PENDING, error=ApplicationError(WRONG_CODE_MESSAGE))

    def evidence(self, claim) -> dict:
        live = claim.live_postcards[0] if getattr(claim, "live_postcards", None) else None
        return {
            "code_issued_at": live.created_at if live else None,
            "code_expires_at": live.expires_at if live else None,
            "sent_at": live.batch.sent_at if live else None,
            "failed_attempts": claim.failed_code_attempts,
            "locked_until": claim.code_locked_until,
        }

    def cleanup(self, *, claim) -> None:
        from neighbourly.verification.models import Postcard

        Postcard.objects.filter(claim=claim, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
