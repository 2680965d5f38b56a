"""Proof documents, shared by verification (address claims) and merchants (businesses): judged by
content, written whole before a row points at them, the replaced file gone only after the commit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from neighbourly.core.documents import (
    MAX_DOCUMENT_BYTES,
    document_forget,
    document_read,
    document_replace,
    document_sniff,
)
from neighbourly.core.errors import ApplicationError
from neighbourly.merchants.models import Business, ProofMethod
from tests.merchants.factories import make_business
from tests.verification.factories import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(tmp_path):
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path / "private"):
        yield tmp_path / "private"


def stored(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "kind"), [(PDF, "pdf"), (image_bytes("PNG"), "png"), (image_bytes("JPEG"), "jpg"),
                                            (image_bytes("WEBP"), "webp")])
def test_sniff_names_the_kind_from_the_content(data, kind):
    assert document_sniff(data) == kind


@pytest.mark.parametrize(("data", "message"), [
    (b"", "The file is empty."),
    (b"<html><script>alert(1)</script></html>", "Upload a PDF, JPEG, PNG or WebP file."),
    (b"%PDF-1.4 truncated", "The PDF is incomplete."),
    (b"\x89PNG\r\n\x1a\n broken", "Upload a PDF, JPEG, PNG or WebP file."),
    (image_bytes("GIF"), "Upload a PDF, JPEG, PNG or WebP file."),
    (b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES + b"%%EOF", "The file is larger than 8 MB."),
])
def test_sniff_refuses_what_is_not_a_document(data, message):
    with pytest.raises(ApplicationError) as exc:
        document_sniff(data)
    assert exc.value.message == message


def test_read_refuses_a_missing_or_declared_too_large_upload_before_reading():
    with pytest.raises(ApplicationError, match="Choose a file"):
        document_read(upload=None)
    big = SimpleUploadedFile("bill.pdf", PDF, "application/pdf")
    big.size = MAX_DOCUMENT_BYTES + 1
    with pytest.raises(ApplicationError, match="larger than 8 MB"):
        document_read(upload=big)
    assert document_read(upload=SimpleUploadedFile("bill.txt", PDF, "text/plain")) == (PDF, "pdf")


def test_replace_points_the_row_at_the_new_file_and_drops_the_old_after_commit(
    community, private_root, django_capture_on_commit_callbacks,
):
    business = make_business(communities=[community], verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        document_replace(instance=business, data=PDF, kind="pdf", also={"proof_method": ProofMethod.DOCUMENT})
    first = business.document.name
    business.refresh_from_db()
    assert (business.document.name, business.document_kind, business.proof_method) == (first, "pdf", "document")
    assert business.document_at is not None
    assert [p.read_bytes() for p in stored(private_root)] == [PDF]
    png = image_bytes("PNG")
    with django_capture_on_commit_callbacks(execute=True):
        document_replace(instance=business, data=png, kind="png")
    business.refresh_from_db()
    assert business.document.name.endswith(".png") and business.document_kind == "png"
    assert [p.read_bytes() for p in stored(private_root)] == [png]  # the first one went after the commit


def test_replace_that_does_not_commit_leaves_the_old_document_and_no_new_file(community, private_root,
                                                                               django_capture_on_commit_callbacks):
    business = make_business(communities=[community], verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        document_replace(instance=business, data=PDF, kind="pdf")
    old = Business.objects.get(pk=business.pk).document.name
    with pytest.raises(ValueError):  # the save fails after the new file was written
        document_replace(instance=business, data=image_bytes("PNG"), kind="png", also={"no_such_field": 1})
    assert Business.objects.get(pk=business.pk).document.name == old
    assert [p.read_bytes() for p in stored(private_root)] == [PDF]


def test_forget_clears_the_fields_and_deletes_the_file_after_commit(community, private_root,
                                                                     django_capture_on_commit_callbacks):
    business = make_business(communities=[community], verified=False)
    assert document_forget(instance=business) is False
    with django_capture_on_commit_callbacks(execute=True):
        document_replace(instance=business, data=PDF, kind="pdf")
    with django_capture_on_commit_callbacks(execute=True):
        assert document_forget(instance=business) is True
        business.save()
    business.refresh_from_db()
    assert (business.document.name, business.document_kind, business.document_at) == ("", "", None)
    assert stored(private_root) == []
