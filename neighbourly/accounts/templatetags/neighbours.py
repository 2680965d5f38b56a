"""How an author is labelled to neighbours in pages: the same rule as the API's author_dict
(Profile.street_for_neighbours): display name, and the street unless they chose name only."""

from django import template

register = template.Library()


@register.filter
def author_street(item) -> str:
    """The street to show beside the author of a post or comment (`author`, `author_membership`)."""
    author = getattr(item, "author", None)
    membership = getattr(item, "author_membership", None)
    if author is None or membership is None or not membership.address_id:
        return ""
    return author.profile.street_for_neighbours(membership.address) or ""
