"""A member's own data: export it all, or delete the account.

Every app that stores personal data registers a handler (neighbourly.core.plugins.PrivacyHandler)
from its AppConfig.ready(), so this module names no app. A handler has `export_user_data(*, user) -> dict` (the member's own data, never other people's private
data) and `erase_user_data(*, user, keep_content: bool) -> None` (remove what is theirs; with
keep_content, public contributions such as posts stay, detached from them and anonymised).
Erasure runs before the user row is deleted, inside one transaction.
"""

from django.db import transaction
from django.utils import timezone

from neighbourly.accounts.models import User
from neighbourly.core.plugins import privacy_handlers


def _handlers():
    return list(privacy_handlers)  # INSTALLED_APPS order: accounts first, the apps built on it after


def user_export(*, user: User) -> dict:
    data = {"exported_at": timezone.now().isoformat(), "format": "neighbourly-export-1"}
    for handler in _handlers():
        data.update(handler.export_user_data(user=user))
    return data


@transaction.atomic
def user_delete(*, user: User, keep_content: bool) -> None:
    """Delete the account and its personal data. With keep_content, posts and messages stay,
    anonymised ("Former neighbour"); otherwise they are removed too."""
    for handler in reversed(_handlers()):
        handler.erase_user_data(user=user, keep_content=keep_content)
    user.delete()
