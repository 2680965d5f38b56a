"""Personal data held by the notifications app (see accounts/privacy.py)."""

from neighbourly.notifications.models import Digest, Notification, Preference


def export_user_data(*, user) -> dict:
    return {
        "notifications": [
            {"kind": n.kind, "title": n.title, "body": n.body, "created_at": n.created_at.isoformat(),
             "read": n.read_at is not None}
            for n in Notification.objects.filter(recipient=user).order_by("id")
        ],
        "notification_preferences": dict(Preference.objects.filter(user=user).values_list("kind", "delivery")),
    }


def erase_user_data(*, user, keep_content: bool) -> None:
    Notification.objects.filter(recipient=user).delete()
    # What they did that others were told of ("Ana replied …") names them: it goes with the account.
    Notification.objects.filter(actor=user).delete()
    Preference.objects.filter(user=user).delete()
    Digest.objects.filter(user=user).delete()
