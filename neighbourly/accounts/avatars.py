"""Avatars through the shared image pipeline: validated, re-encoded (no metadata), square."""

from neighbourly.accounts.models import Profile
from neighbourly.core.images import image_delete_on_commit, image_square, image_store, images_storage
from neighbourly.core.storage import new_files


def profile_avatar_set(*, user, upload) -> Profile:
    """New file in place first (507 on a full disk, nothing changed), then the row; the old avatar
    is deleted only once the row points at the new one for good."""
    processed = image_square(data=upload)  # 4xx for anything that is not a clean JPEG/PNG/WebP
    name = image_store(processed=processed, prefix="avatars")
    with new_files(images_storage(), name):
        profile = Profile.objects.select_for_update().get(user=user)
        old = profile.avatar
        profile.avatar = name
        profile.save(update_fields=["avatar", "updated_at"])
        image_delete_on_commit(name=old)
    return profile


def avatar_url(user_id: int, name: str) -> str | None:
    """Where a member's avatar is served (communities decides who may see it); the version in the
    query makes a new avatar a new URL, so browsers may cache each for long."""
    if not name:
        return None
    return f"/avatars/{user_id}?v={name.rsplit('/', 1)[-1][:8]}"
