"""The private storage (documents nobody may fetch by URL), now in core, and the migrations that
name it by its old path."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from neighbourly.core.storage import AtomicFileSystemStorage, private_storage


def test_private_storage_lives_under_the_private_root_and_has_no_url(tmp_path):
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path / "private"):
        storage = private_storage()
        assert isinstance(storage, AtomicFileSystemStorage)
        assert storage.path("a/b.pdf") == str(tmp_path / "private" / "a" / "b.pdf")
        with pytest.raises(ValueError):
            storage.url("a/b.pdf")


def test_the_old_import_path_that_a_migration_uses_is_the_same_storage():
    from neighbourly.verification import models

    assert models.private_storage is private_storage


@pytest.mark.django_db
def test_moving_the_storage_left_no_model_change_pending():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # SystemExit(1) if one were
