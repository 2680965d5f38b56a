"""Document: a utility bill or lease, kept in private storage and shown only to the moderators."""

from neighbourly.core.documents import document_forget, document_read, document_replace
from neighbourly.core.errors import ApplicationError
from neighbourly.verification.methods.base import Outcome, VerificationMethod


class DocumentMethod(VerificationMethod):
    name = "document"
    label = "A document"
    instructions = (
        "Upload a recent utility bill, council tax bill or lease showing your name and this address "
        "(PDF or photo, up to 8 MB). Only your community's moderators see it, and it is deleted once they decide."
    )

    def submit(self, *, claim, actor, upload=None, **data) -> Outcome:
        if actor.pk != claim.user_id:
            raise ApplicationError("Only the claimant can upload a document.")
        content, kind = document_read(upload=upload)
        document_replace(instance=claim, data=content, kind=kind)  # replaces an earlier upload
        return Outcome(Outcome.REVIEW, summary=f"{kind} document uploaded", review_reason="document to check")

    def evidence(self, claim) -> dict:
        return {
            "kind": claim.document_kind or None,
            "uploaded_at": claim.document_at,
            "present": bool(claim.document),
        }

    def cleanup(self, *, claim) -> None:
        if document_forget(instance=claim):
            claim.save(update_fields=["document", "document_kind", "document_at", "updated_at"])
