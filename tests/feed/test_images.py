import errno
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from neighbourly.feed.models import Post, PostImage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def jpeg(name="photo.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (20, 90, 200)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def create_post(api, member):
    return api.post_json(f"/communities/{member.community.slug}/posts", {"kind": "general", "title": "Pic"}).json()


def test_upload_serves_reencoded_image_and_thumbnail_with_nosniff(member, api_as, client,
                                                                  django_capture_on_commit_callbacks):
    api = api_as(member.user)
    post = create_post(api, member)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/posts/{post['id']}/images", {"file": jpeg()})
    assert response.status_code == 201, response.content
    (image,) = response.json()["images"]
    assert (image["width"], image["height"]) == (640, 480)
    assert PostImage.objects.get().thumbnail != ""
    client.force_login(member.user)
    for url in (image["url"], image["thumbnail_url"]):
        served = client.get(url)
        assert served.status_code == 200
        assert served["Content-Type"] == "image/webp" and served["X-Content-Type-Options"] == "nosniff"
        assert Image.open(io.BytesIO(b"".join(served.streaming_content))).format == "WEBP"


def test_thumbnail_task_is_idempotent(member, api_as, django_capture_on_commit_callbacks):
    from neighbourly.feed.services import post_image_make_thumbnail

    api = api_as(member.user)
    post = create_post(api, member)
    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"/api/v1/posts/{post['id']}/images", {"file": jpeg()})
    image = PostImage.objects.get()
    post_image_make_thumbnail(image_id=image.id)
    image.refresh_from_db()
    assert PostImage.objects.get().thumbnail == image.thumbnail


@pytest.mark.parametrize(
    ("content", "status"),
    [(b"", 400), (b"<svg xmlns='http://www.w3.org/2000/svg'/>", 400), (b"\x89PNG\r\n\x1a\nbroken", 400)],
)
def test_bad_uploads_are_4xx_and_store_nothing(member, api_as, content, status, tmp_path):
    api = api_as(member.user)
    post = create_post(api, member)
    response = api.post(f"/api/v1/posts/{post['id']}/images", {"file": SimpleUploadedFile("x.png", content)})
    assert response.status_code == status
    assert PostImage.objects.exists() is False
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_at_most_four_images(member, api_as):
    api = api_as(member.user)
    post = create_post(api, member)
    for _ in range(4):
        assert api.post(f"/api/v1/posts/{post['id']}/images", {"file": jpeg()}).status_code == 201
    response = api.post(f"/api/v1/posts/{post['id']}/images", {"file": jpeg()})
    assert response.status_code == 400 and "at most 4" in response.json()["detail"]
    assert PostImage.objects.count() == 4


def test_only_author_adds_images_and_outsiders_cannot_fetch_them(member, other_member, api_as, client):
    api = api_as(member.user)
    post = create_post(api, member)
    image = api.post(f"/api/v1/posts/{post['id']}/images", {"file": jpeg()}).json()["images"][0]
    from tests.communities.factories import MembershipFactory

    neighbour = MembershipFactory(community=member.community, verified=True)
    assert api_as(neighbour.user).post(f"/api/v1/posts/{post['id']}/images", {"file": jpeg()}).status_code == 404
    client.force_login(other_member.user)
    assert client.get(image["url"]).status_code == 404


def test_disk_full_while_saving_leaves_no_row(member, api_as, monkeypatch, tmp_path):
    api = api_as(member.user)
    post = create_post(api, member)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    # Fails after the bytes were written to the temporary file: nothing partial may remain.
    monkeypatch.setattr("neighbourly.core.storage.os.fsync", full)
    response = api.post(f"/api/v1/posts/{post['id']}/images", {"file": jpeg()})
    assert response.status_code == 507 and "disk is full" in response.json()["detail"]
    assert PostImage.objects.exists() is False
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_html_composer_posts_with_photos_atomically(member, client, tmp_path):
    client.force_login(member.user)
    bad = SimpleUploadedFile("evil.png", b"<html>no</html>")
    client.post(f"/communities/{member.community.slug}/posts/new/",
                {"kind": "general", "title": "Two pics", "visibility": "community", "images": [jpeg(), bad]},
                HTTP_HX_REQUEST="true")
    assert Post.objects.exists() is False and [p for p in tmp_path.rglob("*") if p.is_file()] == []
    client.post(f"/communities/{member.community.slug}/posts/new/",
                {"kind": "general", "title": "Two pics", "visibility": "community", "images": [jpeg(), jpeg()]},
                HTTP_HX_REQUEST="true")
    assert Post.objects.get().images.count() == 2


def test_avatar_upload(member, api_as, client):
    api = api_as(member.user)
    response = api.post("/api/v1/me/avatar", {"file": jpeg()})
    assert response.status_code == 201
    client.force_login(member.user)
    served = client.get(response.json()["avatar_url"])
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert (image.format, image.size) == ("WEBP", (256, 256))
    assert api.post("/api/v1/me/avatar", {"file": SimpleUploadedFile("a.svg", b"<svg/>")}).status_code == 400


def test_large_photos_offer_the_full_image_to_wide_cards_small_ones_only_their_thumbnail():
    from neighbourly.feed.models import PostImage

    wide = PostImage(width=2048, height=1536)
    assert (wide.thumb_width, wide.has_larger) == (480, True)
    tall = PostImage(width=1000, height=2000)
    assert (tall.thumb_width, tall.has_larger) == (240, True)
    small = PostImage(width=320, height=240)
    assert (small.thumb_width, small.has_larger) == (320, False)
