"""Personal data held by the feed (see accounts/privacy.py): posts, comments, reactions, votes,
RSVPs and reports made. Erasing keeps every remaining post's counts right."""

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from neighbourly.core.images import image_delete
from neighbourly.feed.models import Comment, EventRsvp, PollVote, Post, PostImage, Reaction


def export_user_data(*, user) -> dict:
    posts = Post.objects.filter(author=user).select_related("community").order_by("id")
    return {
        "posts": [
            {"id": p.id, "community": p.community.slug, "kind": p.kind, "title": p.title, "body": p.body,
             "created_at": p.created_at.isoformat(), "edited_at": p.edited_at.isoformat() if p.edited_at else None}
            for p in posts
        ],
        "comments": [
            {"id": c.id, "post_id": c.post_id, "body": c.body, "created_at": c.created_at.isoformat()}
            for c in Comment.objects.filter(author=user).order_by("id")
        ],
        "reactions": list(Reaction.objects.filter(user=user).values("post_id", "kind")),
        "poll_votes": list(PollVote.objects.filter(user=user).values("post_id", "option")),
        "rsvps": list(EventRsvp.objects.filter(user=user).values("post_id", "status")),
    }


def erase_user_data(*, user, keep_content: bool) -> None:
    from neighbourly.feed.services import event_rsvp_remove_all, poll_votes_remove_all, reaction_remove_all

    reaction_remove_all(user=user)
    poll_votes_remove_all(user=user)
    event_rsvp_remove_all(user=user)
    if keep_content:
        Post.objects.filter(author=user).update(author=None, author_membership=None)
        Comment.objects.filter(author=user).update(author=None, author_membership=None)
        return
    post_ids = set(Comment.objects.filter(author=user).values_list("post_id", flat=True))
    Comment.objects.filter(author=user).delete()  # replies to them go too (one thread)
    counts = Comment.objects.filter(post=OuterRef("pk")).values("post").annotate(n=Count("id")).values("n")
    Post.objects.filter(pk__in=post_ids).update(comment_count=Coalesce(Subquery(counts), 0))
    names = [n for pair in PostImage.objects.filter(post__author=user).values_list("file", "thumbnail") for n in pair]
    Post.objects.filter(author=user).delete()
    transaction.on_commit(lambda: [image_delete(name=n) for n in names if n])
