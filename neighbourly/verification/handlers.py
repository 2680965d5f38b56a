"""Reactions to other apps' hooks (connected in VerificationConfig.ready)."""

from neighbourly.verification.registers import register_verify_confirmed_email


def on_email_confirmed(sender, *, user, **kwargs) -> None:
    """A confirmed address can now match the property register: verify the claims it lists."""
    register_verify_confirmed_email(user=user)
