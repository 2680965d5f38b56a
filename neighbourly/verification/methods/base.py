"""The one interface every verification method implements.

A method is a small strategy: it says whether a community enabled it, turns submitted
evidence into an `Outcome` (verified, review, or still pending, with a summary for the
audit log), describes its evidence for the moderators' queue, and cleans up after a
decision. The claim lifecycle (household cap, membership, audit, e-mail) lives in
`neighbourly.verification.services` and is the same for every method.
"""

from dataclasses import dataclass, field
from typing import ClassVar

from neighbourly.core.errors import ApplicationError


@dataclass
class Outcome:
    result: str  # "verified" | "review" | "pending"
    summary: str = ""
    # A refusal that must be raised only after the transaction commits (a counted wrong try).
    error: ApplicationError | None = None
    review_reason: str = ""
    extra: dict = field(default_factory=dict)

    VERIFIED: ClassVar[str] = "verified"
    REVIEW: ClassVar[str] = "review"
    PENDING: ClassVar[str] = "pending"


class VerificationMethod:
    name: ClassVar[str]
    label: ClassVar[str]
    # What the member is told to do next, on their claim page.
    instructions: ClassVar[str]

    def is_enabled(self, community) -> bool:
        return self.name in (community.verification_methods or [])

    def on_claim_created(self, *, claim) -> Outcome:
        """Called once, inside the transaction that created (or switched) the claim."""
        return Outcome(Outcome.PENDING)

    def submit(self, *, claim, actor, **data) -> Outcome:
        """Evidence for `claim` from `actor` (the claimant, or a voucher). The claim row is locked."""
        raise ApplicationError(f"The {self.label.lower()} method takes no evidence this way.")

    def evidence(self, claim) -> dict:
        """A summary of the evidence for moderators. Uses only what the queue selector prefetched."""
        return {}

    def cleanup(self, *, claim) -> None:
        """After the claim is decided, withdrawn or abandoned: drop what must not be kept."""
