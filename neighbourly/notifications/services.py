"""Notifications: in-app rows, live on the socket, e-mail at once, in a daily digest or never."""

from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from neighbourly.core.errors import ApplicationError
from neighbourly.core.text import single_line
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.notifications.models import (
    ALWAYS_IMMEDIATE,
    DEFAULT_DELIVERY,
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


def delivery_for(*, user, kind: str) -> str:
    chosen = Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    delivery = chosen or DEFAULT_DELIVERY[kind]
    if kind in ALWAYS_IMMEDIATE and delivery == Delivery.DIGEST:
        return Delivery.IMMEDIATE
    return delivery


def notification_to_event(notification: Notification) -> dict:
    return {
        "type": "notification",
        "id": notification.id,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "created_at": notification.created_at.isoformat(),
    }


@transaction.atomic
def notification_send(*, recipient, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    """Tell one member something. Callers (services) decide who; this decides how."""
    from neighbourly.notifications.tasks import notification_email_task

    notification = Notification(recipient=recipient, kind=kind, title=title[:200], body=body[:1000], url=url)
    full_clean_or_raise(notification, exclude=["recipient", "digest"])
    notification.save()
    send_event_on_commit(user_group(recipient.id), notification_to_event(notification))
    if delivery_for(user=recipient, kind=kind) == Delivery.IMMEDIATE:
        transaction.on_commit(lambda: notification_email_task.delay(notification.id))
    return notification


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
