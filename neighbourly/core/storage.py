"""Uploads that survive a failing disk: written whole or not at all.

`AtomicFileSystemStorage` writes each file to a hidden temporary name in the target folder, fsyncs
it and links it into place, so a reader (or a database row) never sees a half-written file, and a
full disk leaves nothing behind. The rules every upload path follows on top of it:

1. write the new file first (a disk error raises `StorageFailed`, 507, before any row changes);
2. point the row at it inside the transaction (`new_files`: if the transaction fails, the new file
   is removed again);
3. delete the file it replaces only once that transaction has committed (`delete_on_commit`).

`private_storage()` is the storage of files nobody may fetch by URL (address and business
documents): under PRIVATE_MEDIA_ROOT, served only by views that check access.
"""

import errno
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction

from neighbourly.core.errors import ApplicationError

logger = logging.getLogger(__name__)
PARTIAL_PREFIX = ".partial-"


class StorageFailed(ApplicationError):
    """The disk refused the file (full, read-only …): nothing was saved (507)."""

    status_code = 507


def storage_failed(exc: OSError, what: str = "The file") -> StorageFailed:
    reason = "the server's disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else "the server could not write it"
    return StorageFailed(f"{what} was not saved: {reason}. Nothing was changed; try again later.")


class AtomicFileSystemStorage(FileSystemStorage):
    """FileSystemStorage whose saves are all-or-nothing (temporary name, fsync, link into place)."""

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        temp_path = None
        try:
            os.makedirs(directory, exist_ok=True)
            fd, temp_path = tempfile.mkstemp(dir=directory, prefix=PARTIAL_PREFIX)
            with os.fdopen(fd, "wb") as handle:
                if hasattr(content, "seek") and getattr(content, "seekable", lambda: True)():
                    content.seek(0)
                for chunk in content.chunks():
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temp_path, self.file_permissions_mode)
            while True:
                try:
                    os.link(temp_path, full_path)  # never replaces an existing file
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        except OSError as exc:
            logger.warning("storage: could not write %s: %s", name, exc)
            raise storage_failed(exc) from exc
        finally:
            if temp_path is not None:
                try:
                    os.unlink(temp_path)
                except OSError:
                    pass
        return str(name).replace("\\", "/")


def delete_quietly(storage: FileSystemStorage, name: str) -> None:
    if not name:
        return
    try:
        storage.delete(name)
    except OSError as exc:  # already gone, or the disk is unwell: nothing points at it either way
        logger.warning("storage: could not delete %s: %s", name, exc)


def delete_on_commit(storage: FileSystemStorage, name: str) -> None:
    """Delete a replaced file once the row no longer points at it for good (a rollback keeps it)."""
    if name:
        transaction.on_commit(lambda: delete_quietly(storage, name), robust=True)


@contextmanager
def new_files(storage: FileSystemStorage, *names: str) -> Iterator[list[str]]:
    """A transaction that points rows at newly written files (`names`, and any appended to the
    list it yields): if the transaction does not commit, the files are removed again.

        name = storage.save(...)               # before: the disk is written outside any lock
        with new_files(storage, name):
            row.file = name; row.save()
    """
    written: list[str] = list(names)
    committed = []
    try:
        with transaction.atomic():
            transaction.on_commit(lambda: committed.append(True))  # first: runs before any other callback
            yield written
    except BaseException:
        if not committed:
            for name in written:
                delete_quietly(storage, name)
        raise


class PrivateStorage(AtomicFileSystemStorage):
    """Under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT: no public URL; an access-checked view serves files.
    Saves are all-or-nothing (AtomicFileSystemStorage)."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private files have no URL; use the access-checked view.")


def private_storage() -> FileSystemStorage:
    """The FileField `storage=` callable (settings are read at use, so tests can move the root)."""
    return PrivateStorage()
