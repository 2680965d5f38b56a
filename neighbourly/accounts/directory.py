"""The community directory: verified residents who opted in, by display name and, if they chose
to show it, their street. Never a house number."""

from neighbourly.communities.models import Membership, MembershipStatus


def directory_list(*, community) -> list[dict]:
    """One query, ordered by name."""
    memberships = (
        Membership.objects.filter(community=community, status=MembershipStatus.VERIFIED,
                                  user__profile__in_directory=True, user__is_active=True)
        .select_related("user__profile", "address")
        .order_by("user__profile__display_name", "id")
    )
    return [
        {"user_id": m.user_id, "display_name": m.user.profile.display_name,
         "street": m.user.profile.street_for_neighbours(m.address if m.address_id else None)}
        for m in memberships
    ]
