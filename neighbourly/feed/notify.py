"""Who hears of what happens in the feed: replies, reactions (one item per post), @mentions and
urgent alerts. Run from tasks queued on commit, so the request that wrote pays nothing for them.

A notification reaches only a member who may see the post now (post_get_for_viewer: a verified
resident of its community or a nearby one it was shared with, the group's rules, not hidden):
someone who left, lost their verification or is suspended hears nothing.
"""

from django.urls import reverse

from neighbourly.accounts.models import User
from neighbourly.communities.models import Membership, MembershipStatus
from neighbourly.core.errors import NotFound
from neighbourly.feed.mentions import mention_ids, mention_plain
from neighbourly.feed.models import Comment, Post, Reaction, Visibility
from neighbourly.feed.selectors import post_get_for_viewer
from neighbourly.notifications.models import Kind
from neighbourly.notifications.services import notification_send, notification_update_quietly

SNIPPET = 200


def _can_see(user, post_id: int) -> bool:
    if user is None or not user.is_active:
        return False
    try:
        post_get_for_viewer(viewer=user, post_id=post_id)
    except NotFound:
        return False
    return True


def _name(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else "A neighbour"


def _quote(title: str) -> str:
    return f"“{title if len(title) <= 60 else title[:59] + '…'}”"


def post_target(post_id: int) -> str:
    return f"post:{post_id}"


def _post_url(post_id: int, comment_id: int | None = None) -> str:
    url = reverse("feed:detail", kwargs={"post_id": post_id})
    return f"{url}#comment-{comment_id}" if comment_id else url


def _mentions(*, text: str, post: Post, actor, url: str, where: str, told: set[int]) -> None:
    ids = [i for i in mention_ids(text) if i not in told]
    if not ids:
        return
    for user in User.objects.filter(pk__in=ids, is_active=True).select_related("profile"):
        if _can_see(user, post.id):
            notification_send(
                recipient=user, kind=Kind.MENTION, title=f"{_name(actor)} mentioned you in {where}",
                body=mention_plain(text)[:SNIPPET], url=url, actor=actor, target=post_target(post.id),
            )
        told.add(user.pk)


def comment_created_notify(*, comment_id: int) -> None:
    """The post's author and, for a reply, the comment's author hear of it; so does anyone mentioned."""
    comment = (
        Comment.objects.filter(pk=comment_id, hidden_at__isnull=True, post__hidden_at__isnull=True)
        .select_related("post__author__profile", "author__profile", "parent__author__profile")
        .first()
    )
    if comment is None or comment.author is None:
        return
    post, actor = comment.post, comment.author
    url, body = _post_url(post.id, comment.id), mention_plain(comment.body)[:SNIPPET]
    told = {actor.pk}
    recipients = []
    if post.author is not None:
        recipients.append((post.author, f"{_name(actor)} replied to your post {_quote(post.title)}"))
    if comment.parent is not None and comment.parent.author is not None:
        recipients.append((comment.parent.author, f"{_name(actor)} replied to your comment on {_quote(post.title)}"))
    for user, title in recipients:
        if user.pk in told:
            continue
        told.add(user.pk)
        if _can_see(user, post.id):
            notification_send(recipient=user, kind=Kind.REPLY, title=title, body=body, url=url, actor=actor,
                              target=post_target(post.id))
    _mentions(text=comment.body, post=post, actor=actor, url=url,
              where=f"a comment on {_quote(post.title)}", told=told)


def post_published_notify(*, post_id: int, mentioned_before: list[int] | None = None) -> None:
    """New mentions in a post (created, or edited: `mentioned_before` lists who was told already) and,
    for a new urgent alert, every verified neighbour who can see it: the community's, and the
    nearby ones' when it was shared with them."""
    post = Post.objects.filter(pk=post_id, hidden_at__isnull=True).select_related("author__profile").first()
    if post is None or post.author is None:
        return
    actor, url = post.author, _post_url(post.id)
    told = {actor.pk, *(mentioned_before or [])}
    _mentions(text=post.body, post=post, actor=actor, url=url, where=_quote(post.title), told=told)
    if post.urgent and mentioned_before is None:
        _alert(post=post, actor=actor, url=url)


def _alert(*, post: Post, actor, url: str) -> None:
    communities = [post.community_id]
    if post.visibility == Visibility.NEARBY:
        communities += list(post.community.nearby.values_list("id", flat=True))
    members = (
        Membership.objects.filter(community_id__in=communities, status=MembershipStatus.VERIFIED,
                                  user__is_active=True)
        .exclude(user=actor)
        .select_related("user")
        .order_by("user_id")
    )
    seen: set[int] = set()
    where = f" near {post.safety_where}" if post.safety_where else ""
    for membership in members.iterator():
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        notification_send(recipient=membership.user, kind=Kind.ALERT, title=f"Urgent: {post.title}"[:200],
                          body=f"{_name(actor)} raised an alert{where}. {mention_plain(post.body)}"[:1000],
                          url=url, actor=actor, target=post_target(post.id))


def _reaction_title(*, post: Post, latest_name: str, count: int) -> str:
    others = count - 1
    if others <= 0:
        return f"{latest_name} reacted to your post {_quote(post.title)}"
    return f"{latest_name} and {others} neighbour{'s' if others != 1 else ''} reacted to your post {_quote(post.title)}"


def reaction_changed_notify(*, post_id: int, user_id: int, added: bool) -> None:
    """One item per post for its author: "Ana and 3 neighbours reacted to …". A new reaction raises
    it (unread, at the top, live); a changed kind or a reaction taken back only corrects the words."""
    post = Post.objects.filter(pk=post_id, hidden_at__isnull=True).select_related("author").first()
    if post is None or post.author is None or post.author_id == user_id:
        return
    target = post_target(post.id)
    reactions = Reaction.objects.filter(post=post).exclude(user_id=post.author_id)
    count = reactions.count()
    if not added:
        # The item keeps its words once nobody reacts any more: a reaction given and taken back
        # again and again then raises nothing (the repeat names the same actor).
        latest = reactions.select_related("user__profile").order_by("-created_at", "-id").first()
        if latest is not None:
            notification_update_quietly(recipient_id=post.author_id, kind=Kind.REACTION, target=target,
                                        title=_reaction_title(post=post, latest_name=_name(latest.user), count=count),
                                        actor_id=latest.user_id)
        return
    actor = User.objects.filter(pk=user_id, is_active=True).select_related("profile").first()
    if actor is None or count == 0 or not _can_see(post.author, post.id):
        return
    notification_send(
        recipient=post.author, kind=Kind.REACTION, title=_reaction_title(post=post, latest_name=_name(actor), count=count),
        url=_post_url(post.id), actor=actor, target=target, quiet_repeat=True,
    )
