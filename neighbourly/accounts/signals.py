"""Hooks other apps may react to. Accounts sits below them and never imports them."""

from django.dispatch import Signal

# Sent (inside the confirming transaction, robustly) when a person proves they read mail at their
# account's address: a confirmation link, an e-mail change link or a password-reset link. Argument:
# user. neighbourly.verification verifies their open claims that the property register lists.
email_confirmed = Signal()
