import pytest
from django.test import override_settings


@pytest.fixture(autouse=True)
def _private_media(tmp_path):
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path / "private"):
        yield tmp_path / "private"
