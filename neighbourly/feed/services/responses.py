"""How neighbours respond to a post: comments, reactions, poll votes and RSVPs (chat is realtime's).
Counts on the post change under a row lock in the same transaction as the row they count, so they
never drift."""

from django.db import IntegrityError, transaction
from django.db.models import F

from neighbourly.core.errors import ApplicationError, Conflict, NotFound
from neighbourly.core.ratelimit import rate_limit
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.feed.models import (
    COMMENT_MAX,
    Comment,
    EventRsvp,
    PollVote,
    Post,
    PostKind,
    Reaction,
    ReactionKind,
    RsvpStatus,
)
from neighbourly.feed.nudge import nudge_reasons
from neighbourly.feed.services.posts import NudgeRequired, require_writable
from neighbourly.feed.tasks import comment_created_notify_task, reaction_changed_notify_task


def _notify_on_commit(task, *args) -> None:
    """Notifications are worked out by a task after commit: the writing request pays one enqueue."""
    transaction.on_commit(lambda: task.delay(*args))


def _locked(post: Post) -> Post:
    require_writable(post)
    return Post.objects.select_for_update().only("id", "reaction_counts", "poll_counts", "rsvp_counts").get(pk=post.pk)


@transaction.atomic
def comment_create(
    *, author, post: Post, body: str, parent_id: int | None = None, post_anyway: bool = False, ip: str | None = None
) -> Comment:
    """`post` comes from post_get_for_viewer, which checked access and set viewer_membership_id."""
    require_writable(post)
    body = (body or "").strip()
    if not body:
        raise ApplicationError("Write something first.")
    if len(body) > COMMENT_MAX:
        raise ApplicationError(f"Comments can be at most {COMMENT_MAX} characters.")
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, post=post, hidden_at__isnull=True).first()
        if parent is None:
            raise ApplicationError("You can only reply to a comment on this post.")
        if parent.parent_id is not None:
            parent = parent.parent  # one level of replies: a reply to a reply joins its thread
    if not post_anyway:
        reasons = nudge_reasons(body)
        if reasons:
            raise NudgeRequired(reasons)
    rate_limit("comment", user=author, ip=ip)
    comment = Comment(post=post, author=author, author_membership_id=post.viewer_membership_id, parent=parent,
                      body=body)
    full_clean_or_raise(comment, exclude=["post", "author", "author_membership", "parent"])
    comment.save()
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    _notify_on_commit(comment_created_notify_task, comment.pk)
    return comment


@transaction.atomic
def reaction_set(*, user, post: Post, kind: str) -> Reaction:
    """Set the member's one reaction on a post (replacing another kind)."""
    if kind not in ReactionKind.values:
        raise ApplicationError(f"Reactions are: {', '.join(ReactionKind.values)}.")
    locked = _locked(post)
    reaction = Reaction.objects.filter(post=post, user=user).first()
    counts = dict(locked.reaction_counts)
    added = reaction is None
    if reaction is not None:
        if reaction.kind == kind:
            return reaction
        counts[reaction.kind] = max(0, counts.get(reaction.kind, 0) - 1)
        reaction.kind = kind
    else:
        reaction = Reaction(post=post, user=user, kind=kind)
    counts[kind] = counts.get(kind, 0) + 1
    reaction.save()
    Post.objects.filter(pk=post.pk).update(reaction_counts={k: v for k, v in counts.items() if v})
    if added:  # another kind from the same neighbour is not news
        _notify_on_commit(reaction_changed_notify_task, post.pk, user.pk, True)
    return reaction


@transaction.atomic
def reaction_remove(*, user, post: Post, kind: str) -> None:
    locked = _locked(post)
    reaction = Reaction.objects.filter(post=post, user=user, kind=kind).first()
    if reaction is None:
        return
    reaction.delete()
    counts = dict(locked.reaction_counts)
    counts[kind] = max(0, counts.get(kind, 0) - 1)
    Post.objects.filter(pk=post.pk).update(reaction_counts={k: v for k, v in counts.items() if v})
    _notify_on_commit(reaction_changed_notify_task, post.pk, user.pk, False)


@transaction.atomic
def poll_vote(*, user, post: Post, option: int) -> PollVote:
    """One vote per member, final; results are shown to those who voted."""
    if post.kind != PostKind.POLL:
        raise NotFound()
    if not 0 <= option < len(post.poll_options):
        raise ApplicationError(f"Choose an option between 0 and {len(post.poll_options) - 1}.")
    locked = _locked(post)
    if PollVote.objects.filter(post=post, user=user).exists():
        raise Conflict("You have already voted in this poll.")
    vote = PollVote(post=post, user=user, option=option)
    try:
        with transaction.atomic():
            vote.save()
    except IntegrityError as exc:
        raise Conflict("You have already voted in this poll.") from exc
    counts = list(locked.poll_counts) or [0] * len(post.poll_options)
    counts[option] += 1
    Post.objects.filter(pk=post.pk).update(poll_counts=counts)
    return vote


@transaction.atomic
def event_rsvp(*, user, post: Post, status: str) -> EventRsvp:
    """Going, maybe or not going; answering again changes the answer."""
    if post.kind != PostKind.EVENT:
        raise NotFound()
    if status not in RsvpStatus.values:
        raise ApplicationError(f"Answer one of: {', '.join(RsvpStatus.values)}.")
    locked = _locked(post)
    counts = {s: 0 for s in RsvpStatus.values} | dict(locked.rsvp_counts)
    rsvp = EventRsvp.objects.filter(post=post, user=user).first()
    if rsvp is not None:
        if rsvp.status == status:
            return rsvp
        counts[rsvp.status] = max(0, counts[rsvp.status] - 1)
        rsvp.status = status
    else:
        rsvp = EventRsvp(post=post, user=user, status=status)
    counts[status] += 1
    rsvp.save()
    Post.objects.filter(pk=post.pk).update(rsvp_counts=counts)
    return rsvp


def reaction_remove_all(*, user) -> None:
    """Account deletion: take the member's reactions off every post, counts included."""
    for post_id, kind in list(Reaction.objects.filter(user=user).values_list("post_id", "kind")):
        reaction_remove(user=user, post=Post(pk=post_id), kind=kind)


@transaction.atomic
def poll_votes_remove_all(*, user) -> None:
    for vote in list(PollVote.objects.filter(user=user)):
        locked = _locked(vote.post)
        counts = list(locked.poll_counts)
        if vote.option < len(counts):
            counts[vote.option] = max(0, counts[vote.option] - 1)
        vote.delete()
        Post.objects.filter(pk=vote.post_id).update(poll_counts=counts)


@transaction.atomic
def event_rsvp_remove_all(*, user) -> None:
    for rsvp in list(EventRsvp.objects.filter(user=user)):
        locked = _locked(rsvp.post)
        counts = {s: 0 for s in RsvpStatus.values} | dict(locked.rsvp_counts)
        counts[rsvp.status] = max(0, counts[rsvp.status] - 1)
        rsvp.delete()
        Post.objects.filter(pk=rsvp.post_id).update(rsvp_counts=counts)
