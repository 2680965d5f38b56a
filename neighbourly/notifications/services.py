"""Notifications: in-app rows, live on the socket, e-mail at once, in a daily digest or never."""

from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from neighbourly.core.errors import ApplicationError
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
from neighbourly.realtime.events import send_event_on_commit, user_group

UNSUBSCRIBE_SALT = "neighbourly.notifications.unsubscribe"
ALL_KINDS = "*"
STALE_CLAIM = timedelta(minutes=15)
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
    Callers have checked that the recipient may see the thing; a block rule belongs here."""
    if not recipient.is_active:
        return False
    return actor is None or actor.pk != recipient.pk


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
    from neighbourly.notifications.tasks import notification_email_task

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
        transaction.on_commit(lambda: notification_email_task.delay(notification.id))
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
        subject=f"[{settings.NEIGHBOURLY_SITE_NAME}] {subject}",
        body=text + footer,
        to=[user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.send()


def notification_email(*, notification_id: int) -> bool:
    """E-mail one notification once. Idempotent: a retried task finds it already sent."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True, recipient__is_active=True)
            .first()
        )
        if notification is None:
            return False
        text = notification.body + (f"\n\n{_absolute(notification.url)}" if notification.url else "")
        _send_mail(user=notification.recipient, subject=notification.title, text=text, kind=notification.kind)
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def _claim_digest(*, user, day: date) -> Digest | None:
    try:
        with transaction.atomic():
            return Digest.objects.create(user=user, day=day)
    except IntegrityError:
        pass
    with transaction.atomic():
        digest = Digest.objects.select_for_update().get(user=user, day=day)
        if digest.sent_at is not None or digest.claimed_at > timezone.now() - STALE_CLAIM:
            return None  # sent already, or another run is sending it right now
        digest.claimed_at = timezone.now()  # a run that died before sending: take it over
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
    _send_mail(user=user, subject=f"Your neighbourhood today ({len(pending)} new)",
               text="What happened while you were away:\n\n" + "\n".join(lines))
    now = timezone.now()
    with transaction.atomic():
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(digest=digest, emailed_at=now)
        Digest.objects.filter(pk=digest.pk).update(sent_at=now)
    return True


def digests_send_due(*, day: date | None = None) -> int:
    """The daily run: one digest for every member with something waiting."""
    from neighbourly.accounts.models import User  # read-only use; accounts owns writes

    day = day or timezone.localdate()
    recipient_ids = (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for user in User.objects.filter(pk__in=list(recipient_ids), is_active=True).iterator():
        sent += digest_send(user=user, day=day)
    return sent
