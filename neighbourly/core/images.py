"""The one image pipeline: posts, avatars and merchant images all go through it.

`image_process(data=...)` accepts only JPEG, PNG and WebP, decided by decoding (never by the
name or the declared type), refuses files over a byte cap and images over a pixel cap (Pillow's
DecompressionBombWarning is made an error), applies the EXIF orientation and re-encodes to WebP.
Re-encoding writes pixels only, so EXIF/XMP/GPS and anything smuggled after the image data
(a PNG+HTML polyglot) are gone. `image_store`/`image_delete` keep files in a private storage
that is served only through views that check access (`image_response`).
"""

import io
import secrets
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from PIL import Image, ImageOps, UnidentifiedImageError

from neighbourly.core.errors import ApplicationError
from neighbourly.core.storage import AtomicFileSystemStorage, StorageFailed, delete_on_commit, delete_quietly

__all__ = ["StorageFailed", "image_delete", "image_delete_on_commit", "image_process", "image_store"]

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_BYTES = getattr(settings, "NEIGHBOURLY_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
MAX_PIXELS = getattr(settings, "NEIGHBOURLY_IMAGE_MAX_PIXELS", 40_000_000)  # e.g. 8000 x 5000
MAX_SIDE = 2048  # stored images are scaled down to fit this
THUMB_SIDE = 480
OUTPUT_CONTENT_TYPE = "image/webp"


class ImageRejected(ApplicationError):
    """Not an image we accept (400)."""


class ImageTooLarge(ApplicationError):
    status_code = 413


@dataclass(frozen=True)
class ProcessedImage:
    content: bytes
    width: int
    height: int
    content_type: str = OUTPUT_CONTENT_TYPE


def images_storage() -> AtomicFileSystemStorage:
    """Private storage: never under MEDIA_ROOT, so no web server can serve it unchecked. Files are
    written whole or not at all (core.storage)."""
    return AtomicFileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT / "images")


def _read(data) -> bytes:
    if hasattr(data, "read"):
        if getattr(data, "size", None) is not None and data.size > MAX_BYTES:
            raise ImageTooLarge(f"Images can be at most {MAX_BYTES // (1024 * 1024)} MB.")
        data = data.read(MAX_BYTES + 1)
    if not data:
        raise ImageRejected("The file is empty.")
    if len(data) > MAX_BYTES:
        raise ImageTooLarge(f"Images can be at most {MAX_BYTES // (1024 * 1024)} MB.")
    return data


def _decode(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        # Pillow warns (and past 2x errors) on huge pixel counts; any such image is refused here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise ImageTooLarge(f"Images can be at most {MAX_PIXELS // 1_000_000} megapixels.")
            image.load()  # decodes every pixel: truncated or corrupt files fail here
        except ImageTooLarge:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise ImageTooLarge(f"Images can be at most {MAX_PIXELS // 1_000_000} megapixels.") from exc
        except UnidentifiedImageError as exc:
            raise ImageRejected("Only JPEG, PNG and WebP images are accepted.") from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageRejected("The image could not be read; it may be damaged or incomplete.") from exc
    return image


def _encode(image: Image.Image, max_side: int) -> ProcessedImage:
    image = ImageOps.exif_transpose(image)  # orientation first: the tag is dropped with the rest
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=, no xmp=, no icc_profile=: the new file carries pixels only.
    image.save(out, format="WEBP", quality=82, method=4)
    return ProcessedImage(content=out.getvalue(), width=image.width, height=image.height)


def image_process(*, data, max_side: int = MAX_SIDE) -> ProcessedImage:
    """Validate an upload (bytes or file) and return it re-encoded; raises a 4xx ApplicationError."""
    return _encode(_decode(_read(data)), max_side)


def image_square(*, data, side: int = 256) -> ProcessedImage:
    """An avatar: validated like any image, orientation applied, centre-cropped to a square."""
    image = ImageOps.exif_transpose(_decode(_read(data)))
    image = ImageOps.fit(image.convert("RGB"), (side, side), Image.Resampling.LANCZOS)
    return _encode(image, side)


def image_thumbnail(*, name: str, side: int = THUMB_SIDE) -> ProcessedImage:
    """A smaller copy of an already stored (already clean) image."""
    with images_storage().open(name, "rb") as handle:
        return _encode(_decode(handle.read()), side)


def image_store(*, processed: ProcessedImage, prefix: str) -> str:
    """Save to private storage under an unguessable name, atomically; StorageFailed (507) if the
    disk refuses, with nothing left behind."""
    name = f"{prefix}/{secrets.token_urlsafe(16)}.webp"
    try:
        return images_storage().save(name, ContentFile(processed.content))
    except StorageFailed as exc:
        raise StorageFailed(exc.message.replace("The file", "The image", 1)) from exc


def image_delete(*, name: str) -> None:
    delete_quietly(images_storage(), name)


def image_delete_on_commit(*, name: str) -> None:
    """Delete a replaced image once the transaction that stopped pointing at it has committed."""
    delete_on_commit(images_storage(), name)


def image_response(*, name: str, content_type: str = OUTPUT_CONTENT_TYPE) -> FileResponse:
    """Serve a stored image after the caller has checked access: exact type, nosniff, private cache."""
    try:
        handle = images_storage().open(name, "rb")
    except (OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=86400"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
