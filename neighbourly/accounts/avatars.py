"""Avatars through the shared image pipeline: validated, re-encoded (no metadata), square."""

from neighbourly.accounts.models import Profile
from neighbourly.communities.selectors import shares_community
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


def profile_avatar_name(*, viewer, user_id: int) -> str:
    """The stored avatar of `user_id` if `viewer` shares a community with them (or is them), else ""
    (the page answers 404: an avatar is not a way to find out who is a member anywhere)."""
    if not shares_community(viewer=viewer, user_id=user_id):
        return ""
    return Profile.objects.filter(user_id=user_id).values_list("avatar", flat=True).first() or ""
