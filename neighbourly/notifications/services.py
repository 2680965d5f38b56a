"""Notifications: in-app rows, live on the socket, e-mail at once, in a daily digest or never."""

from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from neighbourly.accounts.selectors import blocked_between
from neighbourly.core.errors import ApplicationError
from neighbourly.core.events import send_event_on_commit, user_group
from neighbourly.core.outbox import outbox_enqueue
from neighbourly.core.text import single_line
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.notifications.models import (
    ALWAYS_IMMEDIATE,
    DEFAULT_DELIVERY,
    GROUPED,
    Delivery,
    Digest,
    Kind,
    Notification,
    Preference,
)
from neighbourly.notifications.tasks import notification_email_task

UNSUBSCRIBE_SALT = "neighbourly.notifications.unsubscribe"
ALL_KINDS = "*"
# A worker that claimed an e-mail (a notification or a digest) has this long to send it and mark it
# sent; after that the claim is taken to be from a killed worker and another run takes it over. An
# SMTP send cannot outlive it (EMAIL_TIMEOUT is far shorter), so a live sender is never overtaken.
EMAIL_LEASE = timedelta(seconds=getattr(settings, "NEIGHBOURLY_EMAIL_LEASE_SECONDS", 300))
STALE_CLAIM = EMAIL_LEASE
UNSENT_AFTER = timedelta(minutes=2)
UNSENT_GIVE_UP = timedelta(days=3)


class EmailBusy(Exception):
    """Another run holds the claim on this e-mail; try again after `retry_in` seconds."""

    def __init__(self, retry_in: float):
        super().__init__(f"claimed by another run; retry in {retry_in:.0f}s")
        self.retry_in = max(1.0, retry_in)
# A grouped item (reactions on a post, messages of a conversation) is e-mailed at most once in this
# window while it stays unread: at once or in one digest, then not again until read or the window passes.
EMAIL_WINDOW = timedelta(seconds=getattr(settings, "NEIGHBOURLY_NOTIFICATION_EMAIL_WINDOW_S", 24 * 3600))


def delivery_for(*, user, kind: str) -> str:
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    delivery = chosen or DEFAULT_DELIVERY[kind]
    if kind in ALWAYS_IMMEDIATE and delivery == Delivery.DIGEST:
        return Delivery.IMMEDIATE
    return delivery


def notification_to_event(notification: Notification, replaces: int | None = None) -> dict:
    event = {
        "type": "notification",
        "id": notification.id,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "created_at": notification.created_at.isoformat(),
    }
    if notification.target:
        event["target"] = notification.target
    if replaces:
        event["replaces"] = replaces  # a grouped item moved to the top: the client drops the old one
    return event


def notification_allowed(*, recipient, actor) -> bool:
    """The one place that decides whether something `actor` did may reach `recipient` at all.
    Callers have checked that the recipient may see the thing. Nothing reaches someone from a
    neighbour either of them blocked (a reply, a reaction, a mention, a message)."""
    if not recipient.is_active:
        return False
    if actor is None:
        return True
    return actor.pk != recipient.pk and not blocked_between(a_id=recipient.pk, b_id=actor.pk)


@transaction.atomic
def notification_send(
    *, recipient, kind: str, title: str, body: str = "", url: str = "", actor=None, target: str = "",
    quiet_repeat: bool = False,
) -> Notification | None:
    """Tell one member something. Callers (services) decide who; this decides how.

    `actor` is who caused it (never notified of their own doing). `target` names the thing
    ("post:12", "conversation:7"): opening it marks the notification read. For GROUPED kinds the
    member keeps one item per target: a new one replaces it at the top, unread, and is e-mailed
    only if the item was not already e-mailed while unread within EMAIL_WINDOW. With `quiet_repeat`
    an unread item that already names this actor is only reworded (a reaction taken back and given
    again raises nothing). Returns None when nothing was sent."""
    if not notification_allowed(recipient=recipient, actor=actor):
        return None
    notification = Notification(recipient=recipient, kind=kind, title=title[:200], body=body[:1000], url=url,
                                actor=actor, target=target)
    full_clean_or_raise(notification, exclude=["recipient", "digest", "actor"], validate_constraints=False)
    replaces = None
    if kind in GROUPED and target:
        try:
            with transaction.atomic():
                replaces = _replace_grouped(notification, quiet_repeat=quiet_repeat)
        except IntegrityError:  # a concurrent send for the same item won the race: replace theirs
            notification.pk = None
            replaces = _replace_grouped(notification, quiet_repeat=quiet_repeat)
        if replaces is _QUIET:
            return notification
    else:
        notification.save()
    emailed_at = notification.emailed_at
    send_event_on_commit(user_group(recipient.id), notification_to_event(notification, replaces))
    if emailed_at is None and delivery_for(user=recipient, kind=kind) == Delivery.IMMEDIATE:
        outbox_enqueue(notification_email_task, notification.id)  # published after the commit
    return notification


_QUIET = object()


def _replace_grouped(notification: Notification, *, quiet_repeat: bool):
    """Save `notification` as the member's one item for its (kind, target). Returns the id of the
    item it replaced (None if there was none), or _QUIET when an unread item of the same actor was
    only reworded (`notification` is then that item)."""
    same = Notification.objects.filter(recipient=notification.recipient, kind=notification.kind,
                                       target=notification.target)
    previous = same.select_for_update().order_by("-id").first()
    if previous is None:
        notification.save()
        return None
    if quiet_repeat and previous.read_at is None and notification.actor_id and previous.actor_id == notification.actor_id:
        same.filter(pk=previous.pk).update(title=notification.title, body=notification.body, url=notification.url)
        notification.pk, notification.created_at = previous.pk, previous.created_at
        return _QUIET
    if previous.read_at is None and previous.emailed_at and previous.emailed_at > timezone.now() - EMAIL_WINDOW:
        notification.emailed_at = previous.emailed_at  # already e-mailed while unread in this window
    same.delete()
    notification.save()
    return previous.id


def notification_update_quietly(*, recipient_id: int, kind: str, target: str, title: str, actor_id: int | None) -> None:
    """Reword the member's unread grouped item without raising it again (someone took their reaction
    back). A read item is history and stays as it is."""
    Notification.objects.filter(recipient_id=recipient_id, kind=kind, target=target, read_at__isnull=True).update(
        title=title[:200], actor_id=actor_id
    )


def notifications_withdraw(*, target: str) -> int:
    """The thing is gone (a post hidden by moderation or deleted): nobody keeps a link to it."""
    deleted, _ = Notification.objects.filter(target=target).delete()
    return deleted


def notifications_mark_read_for(*, user, target: str) -> int:
    """The member opened the thing (a post, a conversation): its notifications are read. Their
    other tabs hear of it, so the unread badge follows."""
    updated = Notification.objects.filter(recipient=user, target=target, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if updated:
        send_event_on_commit(user_group(user.pk), {"type": "notification.read", "target": target})
    return updated


def notifications_mark_read(*, user, up_to_id: int) -> int:
    return Notification.objects.filter(recipient=user, id__lte=up_to_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_set(*, user, kind: str, delivery: str) -> Preference:
    if kind not in Kind.values:
        raise ApplicationError(f"Unknown notification kind '{kind}'.")
    if delivery not in Delivery.values:
        raise ApplicationError(f"Unknown delivery '{delivery}'.")
    if kind in ALWAYS_IMMEDIATE and delivery == Delivery.DIGEST:
        raise ApplicationError("Urgent safety alerts are sent straight away or not e-mailed at all.")
    preference, _ = Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
    return preference


def unsubscribe_token(*, user_id: int, kind: str = ALL_KINDS) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(*, token: str) -> tuple[int, str]:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["u"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ApplicationError("This unsubscribe link is not valid.") from exc


@transaction.atomic
def unsubscribe_apply(*, token: str, user_model) -> tuple[object, str]:
    """Turn off e-mail for one kind (or all) from a signed link; no login needed."""
    user_id, kind = unsubscribe_read(token=token)
    user = user_model.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ApplicationError("This unsubscribe link is not valid.")
    kinds = Kind.values if kind == ALL_KINDS else [kind]
    for each in kinds:
        preference_set(user=user, kind=each, delivery=Delivery.NEVER)
    return user, kind


def _absolute(path: str) -> str:
    return settings.NEIGHBOURLY_BASE_URL.rstrip("/") + path


def _send_mail(*, user, subject: str, text: str, kind: str = ALL_KINDS) -> None:
    unsubscribe = _absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id=user.id, kind=kind)]))
    footer = f"\n\n—\nChange what Neighbourly e-mails you: {_absolute(reverse('notifications:list'))}\n" \
             f"Unsubscribe: {unsubscribe}\n"
    message = EmailMessage(
        # One line whatever the stored text holds: a line break in a header makes Django refuse the send.
        subject=single_line(f"[{settings.NEIGHBOURLY_SITE_NAME}] {subject}")[:250],
        body=text + footer,
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.send()


def notification_email(*, notification_id: int) -> bool:
    """E-mail one notification exactly once: claim it (a lease), send, mark it sent.

    A retried or duplicated task finds it sent (False); one that finds a live claim raises EmailBusy
    (the task retries after the lease); a claim left by a killed worker expires and is taken over.
    A failed send releases the claim at once and raises, so the task retries with backoff."""
    now = timezone.now()
    free = Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - EMAIL_LEASE)
    mine = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True, recipient__is_active=True)
    if not mine.filter(free).update(email_claimed_at=now):
        claimed = mine.values_list("email_claimed_at", flat=True).first()
        if claimed is not None:
            raise EmailBusy((claimed + EMAIL_LEASE - now).total_seconds())
        return False  # sent already, gone, or the recipient left
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    text = notification.body + (f"\n\n{_absolute(notification.url)}" if notification.url else "")
    try:
        _send_mail(user=notification.recipient, subject=notification.title, text=text, kind=notification.kind)
    except BaseException:
        Notification.objects.filter(pk=notification_id, email_claimed_at=now).update(email_claimed_at=None)
        raise
    Notification.objects.filter(pk=notification_id, email_claimed_at=now).update(emailed_at=timezone.now())
    return True


def notifications_email_unsent(*, now=None) -> int:
    """Queue again the immediate e-mails an outage held back (a task that ran out of retries, a
    lost message): unread, unsent, unclaimed (or claim expired), a few minutes to three days old."""
    now = now or timezone.now()
    candidates = (
        Notification.objects.filter(
            emailed_at__isnull=True, read_at__isnull=True, recipient__is_active=True,
            created_at__lte=now - UNSENT_AFTER, created_at__gte=now - UNSENT_GIVE_UP,
        )
        .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - EMAIL_LEASE))
        .select_related("recipient")
        .order_by("id")[:500]
    )
    queued = 0
    with transaction.atomic():
        for notification in candidates:
            if delivery_for(user=notification.recipient, kind=notification.kind) == Delivery.IMMEDIATE:
                outbox_enqueue(notification_email_task, notification.id)
                queued += 1
    return queued


def _claim_digest(*, user, day: date) -> Digest | None:
    """The (user, day) row is the claim: None if that digest was sent, EmailBusy while another run
    holds a live claim, the row once this run holds it (new, or taken over from a dead run)."""
    try:
        with transaction.atomic():
            return Digest.objects.create(user=user, day=day)
    except IntegrityError:
        pass
    with transaction.atomic():
        digest = Digest.objects.select_for_update().get(user=user, day=day)
        now = timezone.now()
        if digest.sent_at is not None:
            return None
        if digest.claimed_at > now - STALE_CLAIM:
            raise EmailBusy((digest.claimed_at + STALE_CLAIM - now).total_seconds())
        digest.claimed_at = now  # a run that died before sending: take it over
        digest.save(update_fields=["claimed_at"])
        return digest


def digest_send(*, user, day: date) -> bool:
    """Send `user` one e-mail with their unread digest-kind notifications; never twice a day."""
    digest_kinds = [k for k in Kind.values if delivery_for(user=user, kind=k) == Delivery.DIGEST]
    pending = list(
        Notification.objects.filter(
            recipient=user, kind__in=digest_kinds, emailed_at__isnull=True, read_at__isnull=True
        ).order_by("id")[:100]
    )
    if not pending or not user.is_active:
        return False
    digest = _claim_digest(user=user, day=day)
    if digest is None:
        return False
    lines = [f"• {n.title}" + (f"\n  {_absolute(n.url)}" if n.url else "") for n in pending]
    try:
        _send_mail(user=user, subject=f"Your neighbourhood today ({len(pending)} new)",
                   text="What happened while you were away:\n\n" + "\n".join(lines))
    except BaseException:
        # Release the claim so the retry can send at once.
        Digest.objects.filter(pk=digest.pk, sent_at__isnull=True).update(
            claimed_at=timezone.now() - STALE_CLAIM - timedelta(seconds=1))
        raise
    now = timezone.now()
    with transaction.atomic():
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digest=digest, emailed_at=now)
        Digest.objects.filter(pk=digest.pk).update(sent_at=now)
    return True


def digests_send_due(*, day: date | None = None) -> int:
    """The daily run: one digest for every member with something waiting. A member whose digest
    could not be sent (SMTP down, another run holding it) does not stop the others; the run then
    raises the last such error so the task retries later (sent digests are never sent again)."""
    import logging

    from neighbourly.accounts.models import User  # read-only use; accounts owns writes

    day = day or timezone.localdate()
    recipient_ids = (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent, error = 0, None
    for user in User.objects.filter(pk__in=list(recipient_ids), is_active=True).iterator():
        try:
            sent += digest_send(user=user, day=day)
        except Exception as exc:  # noqa: BLE001 - logged, and raised again after the others
            logging.getLogger(__name__).warning("digest for user %s not sent: %r", user.pk, exc)
            error = exc
    if error is not None:
        raise error
    return sent
