"""Document: a utility bill or lease, kept in private storage and shown only to the moderators."""

import secrets

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from neighbourly.core.errors import ApplicationError
from neighbourly.core.storage import delete_on_commit, new_files
from neighbourly.verification.methods.base import Outcome, VerificationMethod

MAX_DOCUMENT_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def document_sniff(data: bytes) -> str:
    """The kind of an upload judged by its content (never its name or declared type), or refuse."""
    if not data:
        raise ApplicationError("The file is empty.")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ApplicationError(f"The file is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB.")
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ApplicationError("The PDF is incomplete.")
        return "pdf"
    try:
        from io import BytesIO

        with Image.open(BytesIO(data)) as image:
            kind = IMAGE_FORMATS.get(image.format or "")
            if kind is None:
                raise ApplicationError("Upload a PDF, JPEG, PNG or WebP file.")
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ApplicationError("The image is too large.")
            image.verify()
    except ApplicationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ApplicationError("Upload a PDF, JPEG, PNG or WebP file.") from exc
    return kind


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
        if upload is None:
            raise ApplicationError("Choose a file to upload.")
        if upload.size is not None and upload.size > MAX_DOCUMENT_BYTES:
            raise ApplicationError(f"The file is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB.")
        data = upload.read(MAX_DOCUMENT_BYTES + 1)
        kind = document_sniff(data)
        # A new upload replaces the previous one: the new file is in place (atomically; 507 on a full
        # disk with nothing changed) before the row points at it, the old one goes after the commit.
        old = claim.document.name
        storage = claim.document.storage
        with new_files(storage) as written:
            claim.document.save(f"{secrets.token_hex(16)}.{kind}", ContentFile(data), save=False)
            written.append(claim.document.name)
            claim.document_kind = kind
            claim.document_at = timezone.now()
            claim.save(update_fields=["document", "document_kind", "document_at", "updated_at"])
            delete_on_commit(storage, old)
        return Outcome(Outcome.REVIEW, summary=f"{kind} document uploaded", review_reason="document to check")

    def evidence(self, claim) -> dict:
        return {
            "kind": claim.document_kind or None,
            "uploaded_at": claim.document_at,
            "present": bool(claim.document),
        }

    def cleanup(self, *, claim) -> None:
        if claim.document:
            delete_on_commit(claim.document.storage, claim.document.name)  # a rollback keeps it
            claim.document = ""
            claim.document_kind = ""
            claim.document_at = None
            claim.save(update_fields=["document", "document_kind", "document_at", "updated_at"])
