"""Proof documents (a bill, a lease, business rates): judged by content, kept in private storage.

Shared by verification (an address claim's document) and merchants (a business's document). A
model that keeps one has a FileField `document` on `core.storage.private_storage` with
`document_kind` and `document_at` beside it, and `updated_at`.

- `document_read(upload=...)`: read an upload once, refuse what is missing, too big or not a PDF,
  JPEG, PNG or WebP (`document_sniff`, by content only), and return the bytes and their kind;
- `document_replace(...)`: the new file is written (atomically; 507 on a full disk, nothing
  changed) before the row points at it, and the file it replaces goes once that has committed;
- `document_forget(...)`: the row stops pointing at its document, deleted after the commit.
"""

import secrets
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from neighbourly.core.errors import ApplicationError
from neighbourly.core.storage import delete_on_commit, new_files

MAX_DOCUMENT_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
TOO_LARGE_MESSAGE = f"The file is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB."


def document_sniff(data: bytes) -> str:
    """The kind of an upload judged by its content (never its name or declared type), or refuse."""
    if not data:
        raise ApplicationError("The file is empty.")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ApplicationError(TOO_LARGE_MESSAGE)
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise ApplicationError("The PDF is incomplete.")
        return "pdf"
    try:
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


def document_read(*, upload) -> tuple[bytes, str]:
    """The upload's bytes and kind, checked before anything is written (400 otherwise)."""
    if upload is None:
        raise ApplicationError("Choose a file to upload.")
    if getattr(upload, "size", None) is not None and upload.size > MAX_DOCUMENT_BYTES:
        raise ApplicationError(TOO_LARGE_MESSAGE)
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    return data, document_sniff(data)


def document_replace(*, instance, data: bytes, kind: str, also: dict | None = None) -> None:
    """Point `instance.document` at a new file and save, with the `also` fields in the same save.

    The new file is in place before the row points at it (a failed transaction removes it again);
    the one it replaces is deleted only after the commit, so a full disk leaves the old document.
    """
    also = also or {}
    old = instance.document.name
    storage = instance.document.storage
    with new_files(storage) as written:
        instance.document.save(f"{secrets.token_hex(16)}.{kind}", ContentFile(data), save=False)
        written.append(instance.document.name)
        instance.document_kind = kind
        instance.document_at = timezone.now()
        for field, value in also.items():
            setattr(instance, field, value)
        instance.save(update_fields=["document", "document_kind", "document_at", *also, "updated_at"])
        delete_on_commit(storage, old)


def document_forget(*, instance) -> bool:
    """Clear the document fields (the caller saves them); the file goes after the commit. False if
    there was none."""
    if not instance.document:
        return False
    delete_on_commit(instance.document.storage, instance.document.name)  # a rollback keeps it
    instance.document = ""
    instance.document_kind = ""
    instance.document_at = None
    return True
