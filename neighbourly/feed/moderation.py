"""The feed's side of moderation (see neighbourly/moderation/targets.py; registered in apps.py): reporting posts and
comments, showing them to moderators in context, and hiding them from every feed."""

from django.utils import timezone

from neighbourly.feed.models import Comment, Post
from neighbourly.feed.selectors import comment_report_target, post_report_target
from neighbourly.core.plugins import TargetInfo


class _PostTarget:
    def resolve(self, *, viewer, target_id: int) -> int:
        return post_report_target(viewer=viewer, target_id=target_id)

    def describe(self, *, ids) -> dict[int, TargetInfo]:
        rows = Post.objects.filter(pk__in=ids).only("id", "author_id", "title", "body", "hidden_at")
        return {
            p.id: TargetInfo(author_id=p.author_id, title=p.title, text=p.body, url=f"/posts/{p.id}/",
                             hidden=p.hidden_at is not None)
            for p in rows
        }

    def hide(self, *, target_id: int) -> None:
        Post.objects.filter(pk=target_id, hidden_at__isnull=True).update(hidden_at=timezone.now())

    def unhide(self, *, target_id: int, original: str = "") -> None:
        Post.objects.filter(pk=target_id).update(hidden_at=None)


class _CommentTarget:
    def resolve(self, *, viewer, target_id: int) -> int:
        return comment_report_target(viewer=viewer, target_id=target_id)

    def describe(self, *, ids) -> dict[int, TargetInfo]:
        rows = Comment.objects.filter(pk__in=ids).select_related("post").only(
            "id", "author_id", "body", "hidden_at", "post__id", "post__title"
        )
        return {
            c.id: TargetInfo(author_id=c.author_id, title=f"Comment on “{c.post.title}”", text=c.body,
                             url=f"/posts/{c.post_id}/", hidden=c.hidden_at is not None)
            for c in rows
        }

    def hide(self, *, target_id: int) -> None:
        Comment.objects.filter(pk=target_id, hidden_at__isnull=True).update(hidden_at=timezone.now())

    def unhide(self, *, target_id: int, original: str = "") -> None:
        Comment.objects.filter(pk=target_id).update(hidden_at=None)


POST = _PostTarget()
COMMENT = _CommentTarget()
