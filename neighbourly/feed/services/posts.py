"""Writing posts: create (every kind), edit, delete, with the rules of each kind."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from neighbourly.communities.selectors import membership_require_verified
from neighbourly.core.errors import ApplicationError, PermissionDenied, RateLimited
from neighbourly.core.events import community_group, send_event_on_commit
from neighbourly.core.images import image_delete, images_storage
from neighbourly.core.ratelimit import rate_limit
from neighbourly.core.storage import new_files
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.feed.mentions import mention_ids
from neighbourly.feed.models import BODY_MAX, POLL_OPTION_MAX, TITLE_MAX, Post, PostKind, Visibility
from neighbourly.feed.nudge import nudge_reasons
from neighbourly.feed.tasks import post_published_notify_task
from neighbourly.notifications.services import notifications_withdraw

URGENT_PER_DAY = 1
POLL_MIN, POLL_MAX = 2, 10


class NudgeRequired(ApplicationError):
    """The text may read as unkind: shown to the author, who may revise or post anyway (400)."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons), extra={"code": "nudge", "nudge": reasons})
        self.reasons = reasons


@dataclass(frozen=True)
class EventDetails:
    starts_at: datetime
    ends_at: datetime
    place: str


@dataclass(frozen=True)
class SafetyDetails:
    where: str
    when: datetime | None
    urgent: bool = False


def _clean_text(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ApplicationError("Give your post a title.")
    if len(title) > TITLE_MAX:
        raise ApplicationError(f"Titles can be at most {TITLE_MAX} characters.")
    if len(body) > BODY_MAX:
        raise ApplicationError(f"The text can be at most {BODY_MAX} characters.")
    return title, body


def _check_kind_fields(*, kind, price, is_free, event, safety, poll_options) -> None:
    """Each kind has its own fields; a field of another kind is refused, not silently dropped."""
    if kind not in PostKind.values:
        raise ApplicationError(f"Unknown kind '{kind}'. Choose one of: {', '.join(PostKind.values)}.")
    if kind != PostKind.SALE and (price is not None or is_free):
        raise ApplicationError("Only 'for sale & free' posts have a price.")
    if kind != PostKind.EVENT and event is not None:
        raise ApplicationError("Only events have a start, an end and a place.")
    if kind != PostKind.SAFETY and safety is not None:
        raise ApplicationError("Only safety posts have where/when details and the urgent flag.")
    if kind != PostKind.POLL and poll_options is not None:
        raise ApplicationError("Only polls have options.")
    if kind == PostKind.SALE:
        if price is None and not is_free:
            raise ApplicationError("Give a price, or mark the item as free.")
        if price is not None and is_free:
            raise ApplicationError("An item is either free or has a price, not both.")
        if price is not None and (price < 0 or price >= Decimal("10000000")):
            raise ApplicationError("Give a price between 0 and 9,999,999.99.")
    if kind == PostKind.EVENT:
        if event is None or not event.starts_at or not event.ends_at or not (event.place or "").strip():
            raise ApplicationError("An event needs a start, an end and a place.")
        if event.ends_at <= event.starts_at:
            raise ApplicationError("An event has to end after it starts.")
        if len(event.place.strip()) > 200:
            raise ApplicationError("The place can be at most 200 characters.")
    if kind == PostKind.SAFETY:
        if safety is None or not (safety.where or "").strip() or safety.when is None:
            raise ApplicationError("A safety post needs where and when it happened.")
        if len(safety.where.strip()) > 200:
            raise ApplicationError("'Where' can be at most 200 characters.")
        if safety.when > timezone.now() + timedelta(minutes=5):
            raise ApplicationError("'When' cannot be in the future.")
    if kind == PostKind.POLL:
        options = [o.strip() for o in (poll_options or [])]
        if not POLL_MIN <= len(options) <= POLL_MAX:
            raise ApplicationError(f"A poll needs between {POLL_MIN} and {POLL_MAX} options.")
        if any(not o for o in options):
            raise ApplicationError("Poll options cannot be empty.")
        if any(len(o) > POLL_OPTION_MAX for o in options):
            raise ApplicationError(f"Poll options can be at most {POLL_OPTION_MAX} characters.")
        if len({o.casefold() for o in options}) != len(options):
            raise ApplicationError("Poll options must differ from each other.")


def _check_urgent_quota(*, author) -> None:
    since = timezone.now() - timedelta(days=1)
    if Post.objects.filter(author=author, urgent=True, created_at__gte=since).count() >= URGENT_PER_DAY:
        raise RateLimited(
            f"You can raise {URGENT_PER_DAY} urgent alert a day. Post it without 'urgent', or call 999 in an emergency."
        )


def _notify_on_commit(post_id: int, mentioned_before: list[int] | None = None) -> None:
    """Mentions and urgent alerts are told by a task after commit (feed/notify.py)."""
    transaction.on_commit(lambda: post_published_notify_task.delay(post_id, mentioned_before))


def _publish_new(post: Post, nearby_ids: list[int]) -> None:
    """`feed` is the id of the community whose feed shows the post (its own, or a nearby one);
    `author` lets the client leave the author's own posts out of "N new posts"."""
    feeds = [post.community_id]
    if post.visibility == Visibility.NEARBY:
        feeds += list(nearby_ids)
    slug = post.community.slug
    url = reverse("feed:detail", kwargs={"post_id": post.id})
    for feed_id in feeds:
        group = community_group(feed_id)
        send_event_on_commit(group, {"type": "feed.new", "post_id": post.id, "community": slug, "kind": post.kind,
                                     "feed": feed_id, "author": post.author_id})
        if post.urgent:
            send_event_on_commit(
                group,
                {"type": "alert", "post_id": post.id, "community": slug, "title": post.title,
                 "where": post.safety_where, "url": url, "author": post.author_id},
            )


def post_create(
    *,
    author,
    community,
    kind: str,
    title: str,
    body: str = "",
    visibility: str = Visibility.COMMUNITY,
    price: Decimal | None = None,
    is_free: bool = False,
    event: EventDetails | None = None,
    safety: SafetyDetails | None = None,
    poll_options: list[str] | None = None,
    images: list | tuple = (),
    post_anyway: bool = False,
    group=None,
    ip: str | None = None,
) -> Post:
    """A verified member posts to their community. Images (uploads) are checked before anything is
    written; `post_anyway` skips the kindness nudge once the author has seen it. With `group` (the
    groups service checked the author may post there) the post goes to that group's feed only."""
    from neighbourly.feed.services.images import post_images_prepare, post_images_store

    membership = membership_require_verified(user=author, community=community)
    title, body = _clean_text(title, body)
    if visibility not in Visibility.values:
        raise ApplicationError("Visibility is 'community' or 'nearby'.")
    _check_kind_fields(kind=kind, price=price, is_free=is_free, event=event, safety=safety, poll_options=poll_options)
    if group is not None:
        if group.community_id != community.id:
            raise ApplicationError("A group's posts stay in the group's community.")
        if visibility != Visibility.COMMUNITY:
            raise ApplicationError("Group posts are seen in the group only; they cannot go to nearby communities.")
        if safety is not None and safety.urgent:
            raise ApplicationError("Urgent alerts go to the whole community: post them in the community feed.")
    if not post_anyway:
        reasons = nudge_reasons(title, body)
        if reasons:
            raise NudgeRequired(reasons)
    rate_limit("post", user=author, ip=ip)
    processed = post_images_prepare(uploads=images, existing=0)
    post = Post(
        community=community, author=author, author_membership=membership, kind=kind, title=title, body=body,
        visibility=visibility, price=price, is_free=is_free, group=group,
    )
    if event:
        post.event_starts_at, post.event_ends_at, post.event_place = event.starts_at, event.ends_at, event.place.strip()
        post.rsvp_counts = {"going": 0, "maybe": 0, "not_going": 0}
    if safety:
        post.safety_where, post.safety_when, post.urgent = safety.where.strip(), safety.when, safety.urgent
    if poll_options is not None:
        post.poll_options = [o.strip() for o in poll_options]
        post.poll_counts = [0] * len(post.poll_options)
    full_clean_or_raise(post, exclude=["community", "author", "author_membership", "group"])
    # Files are removed again if the transaction does not commit, and kept once it has (core.storage).
    with new_files(images_storage()) as stored:
        if post.urgent:
            _check_urgent_quota(author=author)
        post.save()
        post_images_store(post=post, processed=processed, stored=stored)
        nearby_ids = list(community.nearby.values_list("id", flat=True)) if visibility == Visibility.NEARBY else []
        if group is None:  # the community's live feed never hears of a group's posts
            _publish_new(post, nearby_ids)
        if post.urgent or mention_ids(post.body):
            _notify_on_commit(post.pk)
    return post


def require_writable(post: Post) -> None:
    """post_get_for_viewer sets `read_only` on a group's post to why the viewer may not write to it
    (the group is archived, or the viewer has not joined); "" when they may."""
    reason = getattr(post, "read_only", "")
    if reason:
        raise PermissionDenied(reason)


def _require_author(*, user, post: Post) -> None:
    require_writable(post)
    if post.author_id != user.pk:
        raise PermissionDenied("Only the author can change or delete this post.")


@transaction.atomic
def post_update(
    *,
    user,
    post: Post,
    title: str | None = None,
    body: str | None = None,
    price: Decimal | None = None,
    is_free: bool | None = None,
    event: EventDetails | None = None,
    safety_where: str | None = None,
    safety_when: datetime | None = None,
    post_anyway: bool = False,
) -> Post:
    """The author edits their post; it is marked edited. Kind, visibility and poll options stay."""
    _require_author(user=user, post=post)
    new_title, new_body = _clean_text(
        post.title if title is None else title, post.body if body is None else body
    )
    if post.kind != PostKind.SALE and (price is not None or is_free):
        raise ApplicationError("Only 'for sale & free' posts have a price.")
    if post.kind != PostKind.EVENT and event is not None:
        raise ApplicationError("Only events have a start, an end and a place.")
    if post.kind != PostKind.SAFETY and (safety_where is not None or safety_when is not None):
        raise ApplicationError("Only safety posts have where/when details.")
    if post.kind == PostKind.SALE and (price is not None or is_free is not None):
        new_free = bool(is_free) if is_free is not None else (post.is_free if price is None else False)
        new_price = None if new_free else (price if price is not None else post.price)
        _check_kind_fields(kind=post.kind, price=new_price, is_free=new_free, event=None, safety=None,
                           poll_options=None)
        post.price, post.is_free = new_price, new_free
    if event is not None:
        _check_kind_fields(kind=post.kind, price=None, is_free=False, event=event, safety=None, poll_options=None)
        post.event_starts_at, post.event_ends_at, post.event_place = event.starts_at, event.ends_at, event.place.strip()
    if safety_where is not None or safety_when is not None:
        safety = SafetyDetails(
            where=post.safety_where if safety_where is None else safety_where,
            when=post.safety_when if safety_when is None else safety_when,
        )
        _check_kind_fields(kind=post.kind, price=None, is_free=False, event=None, safety=safety, poll_options=None)
        post.safety_where, post.safety_when = safety.where.strip(), safety.when
    if not post_anyway and (new_title != post.title or new_body != post.body):
        reasons = nudge_reasons(new_title, new_body)
        if reasons:
            raise NudgeRequired(reasons)
    mentioned_before = mention_ids(post.body)
    post.title, post.body, post.edited_at = new_title, new_body, timezone.now()
    full_clean_or_raise(post, exclude=["community", "author", "author_membership"])
    post.save()
    if set(mention_ids(new_body)) - set(mentioned_before):  # only the neighbours newly mentioned hear of it
        _notify_on_commit(post.pk, mentioned_before)
    return post


def post_delete(*, user, post: Post) -> None:
    _require_author(user=user, post=post)
    names = [n for image in post.images.all() for n in (image.file, image.thumbnail) if n]
    with transaction.atomic():
        notifications_withdraw(target=f"post:{post.pk}")
        post.delete()
        # Files go once the rows are gone for good; a rollback keeps both.
        transaction.on_commit(lambda: [image_delete(name=n) for n in names])


def post_hide(*, post: Post) -> None:
    """Take a post out of every feed (kept for the record). The caller decided who may: moderation,
    or a group's moderators for the group's posts."""
    if post.hidden_at is None:
        Post.objects.filter(pk=post.pk, hidden_at__isnull=True).update(hidden_at=timezone.now())
        notifications_withdraw(target=f"post:{post.pk}")  # replies, reactions, mentions, alerts about it
