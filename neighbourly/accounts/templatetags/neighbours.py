"""How a neighbour is named in pages.

`author_street`: the street beside an author, the same rule as the API's author_dict
(Profile.street_for_neighbours): display name, and the street unless they chose name only.
`neighbour_link`: the one way a neighbour's name is written: a link to their profile card
(which has "Message" and "Block"), or plain text for a former neighbour.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.filter
def author_street(item) -> str:
    """The street to show beside the author of a post or comment (`author`, `author_membership`)."""
    author = getattr(item, "author", None)
    membership = getattr(item, "author_membership", None)
    if author is None or membership is None or not membership.address_id:
        return ""
    return author.profile.street_for_neighbours(membership.address) or ""


@register.simple_tag
def neighbour_link(person, name: str = "", fallback: str = "Former neighbour"):
    """`{% neighbour_link post.author %}` → <a class="neighbour-link" href="/neighbours/ID/">Name</a>.

    `person` is a User with its profile loaded (the selectors select_related it), or a user id
    with `name` given (rows that carry both, such as the directory); `name` also overrides the
    display name. None (an author who left) gives the plain `fallback`."""
    user_id = person if isinstance(person, int) else getattr(person, "pk", None)
    if not user_id:
        return format_html('<span class="neighbour-name">{}</span>', name or fallback)
    label = name or person.profile.display_name
    return format_html('<a class="neighbour-link" href="{}">{}</a>', reverse("communities:neighbour", args=[user_id]), label)
