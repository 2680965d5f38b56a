import errno
import io
import struct
import zlib

import pytest
from PIL import Image

from neighbourly.core import images
from neighbourly.core.images import ImageRejected, ImageTooLarge, StorageFailed, image_process


def encode(fmt="JPEG", size=(64, 48), colour=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt, **save)
    return out.getvalue()


def with_gps_and_orientation() -> bytes:
    image = Image.new("RGB", (60, 30), (10, 200, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "SpyCam"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_header_bomb(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR claiming a huge canvas, with a tiny (empty) body."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_are_reencoded_to_webp(fmt):
    result = image_process(data=encode(fmt))
    assert (result.width, result.height, result.content_type) == (64, 48, "image/webp")
    assert Image.open(io.BytesIO(result.content)).format == "WEBP"


def test_gps_and_exif_stripped_after_orientation_applied():
    original = with_gps_and_orientation()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825) is not None
    result = image_process(data=original)
    stored = Image.open(io.BytesIO(result.content))
    assert (stored.width, stored.height) == (30, 60)  # rotated upright, then the tag dropped
    assert dict(stored.getexif()) == {}
    assert "exif" not in stored.info and "xmp" not in stored.info
    assert b"SpyCam" not in result.content


def test_empty_file_refused():
    with pytest.raises(ImageRejected, match="empty"):
        image_process(data=b"")


def test_truncated_file_refused():
    data = encode("PNG", size=(400, 400))
    with pytest.raises(ImageRejected, match="damaged or incomplete"):
        image_process(data=data[: len(data) // 2])


def test_svg_and_html_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'
    for data in (svg, b"<html><script>alert(1)</script></html>", b"GIF89a" + b"\x00" * 40):
        with pytest.raises(ImageRejected, match="Only JPEG, PNG and WebP"):
            image_process(data=data)


def test_gif_refused_even_if_named_jpg():
    out = io.BytesIO()
    Image.new("RGB", (5, 5)).save(out, "GIF")
    with pytest.raises(ImageRejected):
        image_process(data=out.getvalue())


def test_polyglot_png_with_html_is_reencoded_without_the_payload():
    payload = b"<html><script>alert(document.cookie)</script></html>"
    result = image_process(data=encode("PNG") + payload)
    assert payload not in result.content and b"<script" not in result.content
    assert Image.open(io.BytesIO(result.content)).format == "WEBP"


@pytest.mark.parametrize("size", [(30_000, 30_000), (10_000, 10_000)])  # 900M and 100M pixels
def test_decompression_bomb_is_a_clean_413(size):
    data = png_header_bomb(*size)
    assert len(data) < 100
    with pytest.raises(ImageTooLarge, match="megapixels"):
        image_process(data=data)


def test_oversized_bytes_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 1000)
    with pytest.raises(ImageTooLarge, match="at most"):
        image_process(data=encode("PNG", size=(300, 300), colour=(1, 2, 3)) + b"\x00" * 2000)


def test_large_image_scaled_down():
    result = image_process(data=encode("JPEG", size=(4000, 1000)))
    assert (result.width, result.height) == (2048, 512)


def test_disk_full_is_a_clear_error_and_leaves_no_file(monkeypatch, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("neighbourly.core.storage.os.fsync", full)  # after the bytes went to the temporary file
    with pytest.raises(StorageFailed, match="disk is full") as error:
        images.image_store(processed=image_process(data=encode()), prefix="posts/1")
    assert error.value.status_code == 507
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
