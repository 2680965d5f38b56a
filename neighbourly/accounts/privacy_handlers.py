"""Personal data held by the accounts app (see accounts/privacy.py)."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from neighbourly.accounts.models import ApiToken


def export_user_data(*, user) -> dict:
    profile = user.profile
    return {
        "account": {"email": user.email, "date_joined": user.date_joined.isoformat()},
        "profile": {"display_name": profile.display_name, "bio": profile.bio, "age_band": profile.age_band or None},
        "api_tokens": [
            {"name": t.name, "created_at": t.created_at.isoformat(),
             "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None}
            for t in ApiToken.objects.filter(user=user).order_by("id")
        ],
    }


def erase_user_data(*, user, keep_content: bool) -> None:
    # Login-throttling records keep the e-mail as the username: they go with the account.
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=user.email).delete()
    # Profile and tokens cascade with the user row.
