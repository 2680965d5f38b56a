"""Personal data held by the accounts app (see accounts/privacy.py)."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from neighbourly.accounts.models import ApiToken, Block


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
        # Whom I blocked, by display name (never who blocked me: that is theirs).
        "blocked": [
            {"display_name": b.blocked.profile.display_name, "since": b.created_at.isoformat()}
            for b in Block.objects.filter(blocker=user).select_related("blocked__profile").order_by("id")
        ],
    }


def erase_user_data(*, user, keep_content: bool) -> None:
    # Login-throttling records keep the e-mail as the username: they go with the account.
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=user.email).delete()
    # Profile, tokens and blocks (made and received) cascade with the user row.
