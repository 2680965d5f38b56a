"""Groups' side of moderation (see neighbourly/moderation/targets.py; registered in apps.py). A group has no hidden
state of its own: hiding one archives it (read-only, no new posts or messages), and an overturned
decision reopens it."""

from django.utils import timezone

from neighbourly.groups.models import Group
from neighbourly.groups.selectors import group_get_for_viewer
from neighbourly.core.plugins import TargetInfo


class _GroupTarget:
    def resolve(self, *, viewer, target_id: int) -> int:
        return group_get_for_viewer(viewer=viewer, group_id=target_id).community_id

    def describe(self, *, ids) -> dict[int, TargetInfo]:
        rows = Group.objects.filter(pk__in=ids).only("id", "created_by_id", "name", "description", "archived_at")
        return {
            g.id: TargetInfo(author_id=g.created_by_id, title=f"Group “{g.name}”", text=g.description,
                             url=f"/groups/{g.id}/", hidden=g.archived_at is not None)
            for g in rows
        }

    def hide(self, *, target_id: int) -> None:
        Group.objects.filter(pk=target_id, archived_at__isnull=True).update(archived_at=timezone.now())

    def unhide(self, *, target_id: int, original: str = "") -> None:
        Group.objects.filter(pk=target_id).update(archived_at=None)


GROUP = _GroupTarget()
