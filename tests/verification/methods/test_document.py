import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from neighbourly.verification.models import Claim, ClaimStatus, Method
from neighbourly.verification.services import claim_withdraw, claims_sweep_abandoned
from tests.verification.factories import PDF, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(community):
    return make_claim(community=community, method=Method.DOCUMENT)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(buffer, "PNG")
    return buffer.getvalue()


def upload(api_as, claim, data: bytes, name="bill.pdf", content_type="application/pdf"):
    return api_as(claim.user).post(
        f"/api/v1/verification/claims/{claim.pk}/document",
        {"file": SimpleUploadedFile(name, data, content_type)},
    )


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_pdf_goes_to_private_storage_and_review(claim, api_as, _private_media, settings):
    response = upload(api_as, claim, PDF)
    assert response.status_code == 200
    assert response.json()["status"] == "review"
    claim.refresh_from_db()
    files = stored_files(_private_media)
    assert len(files) == 1 and files[0].read_bytes() == PDF
    assert str(settings.MEDIA_ROOT) not in str(files[0])
    assert claim.document_kind == "pdf"


def test_image_is_accepted(claim, api_as):
    response = upload(api_as, claim, png_bytes(), name="bill.png", content_type="image/png")
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.document_kind == "png"


@pytest.mark.parametrize(
    "data",
    [b"", b"<html><script>alert(1)</script></html>", b"%PDF-1.4 truncated", b"\x89PNG\r\n\x1a\n broken"],
    ids=["empty", "html", "truncated-pdf", "broken-png"],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(claim, api_as, _private_media, data):
    response = upload(api_as, claim, data, name="bill.pdf")
    assert response.status_code == 400
    claim.refresh_from_db()
    assert (claim.status, claim.document.name) == (ClaimStatus.PENDING, "")
    assert stored_files(_private_media) == []


def test_oversized_upload_is_refused(claim, api_as, _private_media):
    data = b"%PDF-1.4\n" + b"0" * (8 * 1024 * 1024) + b"\n%%EOF\n"
    response = upload(api_as, claim, data)
    assert response.status_code == 400  # checked as a document before any size limit of the server
    assert stored_files(_private_media) == []


@pytest.mark.django_db(transaction=True)  # files go once the change has committed
def test_document_deleted_after_approval(claim, moderator, api_as, _private_media):
    upload(api_as, claim, PDF)
    response = api_as(moderator.user).post_json(
        f"/verification/claims/{claim.pk}/decision", {"approve": True}
    )
    assert response.json()["status"] == "verified"
    claim.refresh_from_db()
    assert claim.document.name == "" and stored_files(_private_media) == []


@pytest.mark.django_db(transaction=True)  # files go once the change has committed
def test_document_deleted_after_rejection(claim, moderator, api_as, _private_media):
    upload(api_as, claim, PDF)
    response = api_as(moderator.user).post_json(
        f"/verification/claims/{claim.pk}/decision",
        {"approve": False, "reason": "The name on the bill differs."},
    )
    assert response.json()["status"] == "rejected"
    assert stored_files(_private_media) == []


@pytest.mark.django_db(transaction=True)  # files go once the change has committed
def test_document_deleted_when_withdrawn(claim, api_as, _private_media):
    upload(api_as, claim, PDF)
    claim_withdraw(user=claim.user, claim_id=claim.pk)
    assert stored_files(_private_media) == []


@pytest.mark.django_db(transaction=True)  # files go once the change has committed
def test_sweeper_deletes_abandoned_documents(claim, api_as, _private_media):
    from datetime import timedelta

    from django.utils import timezone

    upload(api_as, claim, PDF)
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now() - timedelta(days=61))
    assert claims_sweep_abandoned() == 1
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.WITHDRAWN
    assert stored_files(_private_media) == []


def test_sweeper_leaves_recent_claims_alone(claim, api_as, _private_media):
    upload(api_as, claim, PDF)
    assert claims_sweep_abandoned() == 0
    assert len(stored_files(_private_media)) == 1


@pytest.mark.django_db(transaction=True)  # files go once the change has committed
def test_new_upload_replaces_the_old_file(claim, api_as, _private_media):
    upload(api_as, claim, PDF)
    upload(api_as, claim, png_bytes(), name="b.png", content_type="image/png")
    assert len(stored_files(_private_media)) == 1


def test_document_view_only_for_that_communitys_moderators(claim, moderator, member, api_as, other_community):
    from django.test import Client

    from tests.communities.factories import MembershipFactory

    upload(api_as, claim, PDF)
    url = f"/verification/documents/{claim.pk}/"
    mod = Client()
    mod.force_login(moderator.user)
    response = mod.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    for user in (member.user, claim.user, MembershipFactory(community=other_community, moderator=True).user):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 404
