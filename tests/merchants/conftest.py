import pytest

from tests.accounts.factories import UserFactory
from tests.merchants.factories import make_business, make_offer


@pytest.fixture
def merchant(db):
    return UserFactory()


@pytest.fixture
def business(merchant, community):
    """A verified business owned by `merchant`, approved in `community`."""
    return make_business(owner=merchant, communities=[community])


@pytest.fixture
def offer(business, community):
    return make_offer(business=business, communities=[community])


@pytest.fixture
def tiny_jpeg() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
