import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from neighbourly.verification import privacy
from neighbourly.verification.models import Claim, Method
from neighbourly.verification.services import claim_submit_evidence
from tests.verification.factories import PDF, make_claim

pytestmark = pytest.mark.django_db


def test_export_and_erase_remove_the_document_from_disk(community, _private_media):
    claim = make_claim(community=community, method=Method.DOCUMENT)
    claim_submit_evidence(
        user=claim.user,
        claim_id=claim.pk,
        method=Method.DOCUMENT,
        upload=SimpleUploadedFile("b.pdf", PDF, "application/pdf"),
    )
    exported = privacy.export_user_data(user=claim.user)
    assert [(c["address"], c["status"], c["document_on_file"]) for c in exported["address_claims"]] == [
        (claim.address.label, "review", True)
    ]
    privacy.erase_user_data(user=claim.user, keep_content=True)
    assert Claim.objects.exists() is False
    assert [p for p in _private_media.rglob("*") if p.is_file()] == []
