"""A real full disk (QUALITY.md): a 300 KB tmpfs mounted over PRIVATE_MEDIA_ROOT for each test.

On every upload path (post images, avatars, claim and business documents, offer and business
images): a clear 507, no row pointing at a missing file, the file being replaced still there, and
no partial files. Needs root to mount; skipped with the reason otherwise (CI runs as root)."""

import io
import os
import random
import subprocess
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from neighbourly.core.outbox import outbox_drain
from neighbourly.core.storage import PARTIAL_PREFIX
from neighbourly.feed.models import Post, PostImage
from neighbourly.merchants.models import Business, BusinessPhoto, Offer
from neighbourly.verification.models import Claim, Method
from tests.feed.factories import PostFactory
from tests.merchants.factories import make_business, make_offer
from tests.verification.factories import PDF, make_claim

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit work (old-file deletes, thumbnails) runs for real
FILLER = "filler.bin"


class Disk:
    def __init__(self, root):
        self.root = root

    def free(self) -> int:
        stat = os.statvfs(self.root)
        return stat.f_bavail * stat.f_frsize

    def fill(self, leave: int = 0) -> None:
        """Take all but `leave` bytes (tmpfs counts whole 4 KB pages)."""
        with open(self.root / FILLER, "ab") as handle:
            handle.write(b"\0" * max(0, self.free() - leave))

    def files(self) -> list[str]:
        return sorted(str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file() and p.name != FILLER)

    def assert_no_partials(self) -> None:
        assert [f for f in self.files() if os.path.basename(f).startswith(PARTIAL_PREFIX)] == []


@pytest.fixture
def disk(tmp_path, settings):
    if os.geteuid() != 0:
        pytest.skip("a real full disk needs a small tmpfs, and mounting one needs root")
    root = tmp_path / "private"
    root.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(root)], capture_output=True,
                             check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    settings.PRIVATE_MEDIA_ROOT = root
    settings.MEDIA_ROOT = root / "public"
    try:
        yield Disk(root)
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False)


def noisy_png(width=600, height=260) -> SimpleUploadedFile:
    """Noise does not compress: the stored WebP is ~110 KB, its 480px thumbnail ~60 KB."""
    rng = random.Random(width * height)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3)).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def big_pdf(size=60_000) -> SimpleUploadedFile:
    return SimpleUploadedFile("bill.pdf", b"%PDF-1.4\n" + b"0" * size + b"\n%%EOF\n", content_type="application/pdf")


def assert_disk_full(response):
    assert response.status_code == 507, response.content
    assert "disk is full" in response.json()["detail"]


def test_post_image_when_the_disk_is_full(disk, member, api_as):
    post = PostFactory(author=member.user, community=member.community)
    disk.fill()
    assert_disk_full(api_as(member.user).post(f"/api/v1/posts/{post.pk}/images", {"file": noisy_png()}))
    assert PostImage.objects.exists() is False
    assert disk.files() == []


def test_post_image_fits_but_its_thumbnail_does_not(disk, member, api_as):
    """Old code: the thumbnail failed inside the request, which then deleted the image file the
    committed row pointed at (and answered 500)."""
    post = PostFactory(author=member.user, community=member.community)
    disk.fill(leave=130 * 1024)  # room for the ~110 KB image, not for its thumbnail as well
    response = api_as(member.user).post(f"/api/v1/posts/{post.pk}/images", {"file": noisy_png()})
    assert response.status_code == 201, response.content
    image = PostImage.objects.get()
    assert (disk.root / "images" / image.file).is_file()
    assert image.thumbnail == ""  # left for the outbox drain once there is room
    disk.assert_no_partials()
    (disk.root / FILLER).unlink()  # room again: the drain makes the thumbnail
    assert outbox_drain(older_than=timedelta(0)) == (1, 0)
    image.refresh_from_db()
    assert image.thumbnail and (disk.root / "images" / image.thumbnail).is_file()


def test_new_post_with_images_when_the_disk_is_full(disk, member, api_as):
    disk.fill(leave=60 * 1024)  # the first image does not fit
    response = api_as(member.user).post(
        f"/communities/{member.community.slug}/posts/new/",
        {"kind": "general", "title": "Two", "visibility": "community", "images": [noisy_png(), noisy_png(601, 260)]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b"disk is full" in response.content  # the message on the page
    assert Post.objects.exists() is False and PostImage.objects.exists() is False
    assert disk.files() == []


def test_avatar_replacement_when_the_disk_is_full(disk, member, api_as):
    api = api_as(member.user)
    assert api.post("/api/v1/me/avatar", {"file": noisy_png()}).status_code == 201
    member.user.profile.refresh_from_db()
    old = member.user.profile.avatar
    disk.fill()
    assert_disk_full(api.post("/api/v1/me/avatar", {"file": noisy_png(601, 260)}))
    member.user.profile.refresh_from_db()
    assert member.user.profile.avatar == old
    assert disk.files() == [f"images/{old}"]


def test_claim_document_replacement_when_the_disk_is_full(disk, community, api_as):
    """Old code: the old document was deleted first, then the new one failed half-written; the
    moderator's document link answered 500."""
    claim = make_claim(community=community, method=Method.DOCUMENT)
    api = api_as(claim.user)
    url = f"/api/v1/verification/claims/{claim.pk}/document"
    assert api.post(url, {"file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")}).status_code == 200
    old = Claim.objects.get(pk=claim.pk).document.name
    disk.fill(leave=16 * 1024)  # a partial write of the 60 KB file would fit
    assert_disk_full(api.post(url, {"file": big_pdf()}))
    claim.refresh_from_db()
    assert claim.document.name == old
    assert (disk.root / old).read_bytes() == PDF
    assert disk.files() == [old]


def test_business_document_replacement_when_the_disk_is_full(disk, community, api_as):
    business = make_business(communities=[community], verified=False)
    api = api_as(business.created_by)
    url = f"/api/v1/businesses/{business.pk}/document"
    assert api.post(url, {"file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")}).status_code == 200
    old = Business.objects.get(pk=business.pk).document.name
    disk.fill(leave=16 * 1024)
    assert_disk_full(api.post(url, {"file": big_pdf()}))
    business.refresh_from_db()
    assert business.document.name == old and (disk.root / old).read_bytes() == PDF
    assert disk.files() == [old]


def test_offer_and_business_images_when_the_disk_is_full(disk, community, api_as):
    business = make_business(communities=[community])
    offer = make_offer(business=business, communities=[community])
    api = api_as(business.created_by)
    assert api.post(f"/api/v1/offers/{offer.pk}/image", {"file": noisy_png(300, 200)}).status_code == 201
    assert api.post(f"/api/v1/businesses/{business.pk}/images?kind=logo",
                    {"file": noisy_png(200, 200)}).status_code == 201
    offer.refresh_from_db()
    business.refresh_from_db()
    before = disk.files()
    disk.fill(leave=8 * 1024)
    assert_disk_full(api.post(f"/api/v1/offers/{offer.pk}/image", {"file": noisy_png()}))
    assert_disk_full(api.post(f"/api/v1/businesses/{business.pk}/images?kind=logo", {"file": noisy_png(400, 400)}))
    assert_disk_full(api.post(f"/api/v1/businesses/{business.pk}/images?kind=photo", {"file": noisy_png()}))
    assert Offer.objects.get(pk=offer.pk).image == offer.image
    assert Business.objects.get(pk=business.pk).logo == business.logo
    assert BusinessPhoto.objects.exists() is False
    assert disk.files() == before  # the old files are all there, and nothing else
