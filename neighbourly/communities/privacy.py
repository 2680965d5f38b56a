"""Personal data held by the communities app: memberships (see accounts/privacy.py)."""

from neighbourly.communities.models import Membership


def export_user_data(*, user) -> dict:
    memberships = Membership.objects.filter(user=user).select_related("community", "address").order_by("id")
    return {
        "memberships": [
            {
                "community": m.community.slug,
                "role": m.role,
                "status": m.status,
                "verified_at": m.verified_at.isoformat() if m.verified_at else None,
                # The member's own address: theirs to see, nobody else's.
                "address": m.address.label if m.address_id else None,
            }
            for m in memberships
        ]
    }


def erase_user_data(*, user, keep_content: bool) -> None:
    Membership.objects.filter(user=user).delete()
