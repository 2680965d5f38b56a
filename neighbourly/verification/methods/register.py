"""Property register: the property manager's list of units and residents, used as a census."""

from neighbourly.verification.methods.base import Outcome, VerificationMethod


def register_match(*, claim):
    """The register entry naming this claimant (by e-mail) at this address, if any.

    Only a confirmed address counts: anyone can type someone else's e-mail into a sign-up form,
    so an unconfirmed one proves nothing. The match is tried again when the person confirms.
    """
    from neighbourly.verification.models import RegisterEntry

    if not claim.user.email_confirmed:
        return None
    return (
        RegisterEntry.objects.filter(
            community_id=claim.community_id, address_key=claim.address_key, email=claim.user.email.lower()
        )
        .order_by("-id")
        .first()
    )


class RegisterMethod(VerificationMethod):
    name = "register"
    label = "Property register"
    instructions = (
        "If your building's property manager keeps a list of residents, you are verified as soon as your "
        "e-mail address appears on it at this address and you have confirmed that address (the link we "
        "e-mailed you). Ask them to add you if you are not on it yet."
    )

    def on_claim_created(self, *, claim) -> Outcome:
        entry = register_match(claim=claim)
        if entry is None:
            return Outcome(Outcome.PENDING)
        return Outcome(Outcome.VERIFIED, summary=f"listed in register upload {entry.upload_id}")

    def evidence(self, claim) -> dict:
        return {"listed": getattr(claim, "register_listed", None), "email_confirmed": claim.user.email_confirmed}
