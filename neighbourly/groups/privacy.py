"""Personal data held by groups (see accounts/privacy.py): group memberships, help listings,
matches and the hours ledger, the thanks opt-in.

Erasure removes the member's memberships, listings (with their matches and hours) and opt-ins;
their group posts follow the feed's keep-or-remove choice, and the group chat rooms the realtime
handler. Groups they created stay, without a creator."""

from django.db.models import Q, Sum

from neighbourly.groups.models import GroupMembership, HelpListing, HelpMatch, HelpThanksOptIn, HoursEntry, HoursStatus


def export_user_data(*, user) -> dict:
    memberships = GroupMembership.objects.filter(user=user).select_related("group__community").order_by("id")
    listings = HelpListing.objects.filter(owner=user).select_related("community").order_by("id")
    confirmed = HoursEntry.objects.filter(status=HoursStatus.CONFIRMED)
    given = confirmed.filter(match__helper=user).aggregate(n=Sum("hours"))["n"] or 0
    received = confirmed.filter(match__helped=user).aggregate(n=Sum("hours"))["n"] or 0
    return {
        "groups": [
            {"group": m.group.name, "community": m.group.community.slug, "role": m.role, "status": m.status,
             "joined_at": m.created_at.isoformat()}
            for m in memberships
        ],
        "help_listings": [
            {"community": li.community.slug, "kind": li.kind, "category": li.category,
             "description": li.description, "availability": li.availability, "status": li.status,
             "created_at": li.created_at.isoformat()}
            for li in listings
        ],
        "help_matches": HelpMatch.objects.filter(Q(helper=user) | Q(helped=user)).count(),
        "help_hours": {"given": str(given), "received": str(received)},
        "thanks_board_opt_in": list(HelpThanksOptIn.objects.filter(user=user).values_list("community__slug", flat=True)),
    }


def erase_user_data(*, user, keep_content: bool) -> None:
    HelpMatch.objects.filter(Q(helper=user) | Q(helped=user)).delete()
    HelpListing.objects.filter(owner=user).delete()
    HelpThanksOptIn.objects.filter(user=user).delete()
    GroupMembership.objects.filter(user=user).delete()
