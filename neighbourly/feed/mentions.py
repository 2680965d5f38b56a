"""@mentions in posts and comments.

The composer inserts a stable reference, `@[Display Name](user:ID)`, so a mention survives a
neighbour renaming themselves or two neighbours sharing a name. Pages render it as a link to the
neighbour's profile card; plain text (notifications, e-mail) shows "@Display Name".
"""

import re

from django.utils.html import escape

from neighbourly.accounts.selectors import block_related_queries
from neighbourly.communities.models import Membership, MembershipStatus

MENTION = re.compile(r"@\[(?P<name>[^\[\]\n]{1,80})\]\(user:(?P<id>[1-9]\d{0,11})\)")
MAX_MENTIONS = 20  # per text: more names than that are not notified
SUGGESTIONS_MAX = 8
# The neighbour's profile card (the profile-card work serves it): the one place that names the path.
NEIGHBOUR_PATH = "/neighbours/{id}/"


def neighbour_url(user_id: int) -> str:
    return NEIGHBOUR_PATH.format(id=int(user_id))


def mention_ids(text: str) -> list[int]:
    """The ids mentioned in `text`, in order of first appearance, at most MAX_MENTIONS."""
    ids: list[int] = []
    for match in MENTION.finditer(text or ""):
        user_id = int(match.group("id"))
        if user_id not in ids:
            ids.append(user_id)
    return ids[:MAX_MENTIONS]


def mention_plain(text: str) -> str:
    return MENTION.sub(lambda m: "@" + m.group("name"), text or "")


def mention_html(name: str, user_id: str) -> str:
    return f'<a class="mention" href="{escape(neighbour_url(int(user_id)))}">@{escape(name)}</a>'


def mention_split(text: str):
    """Yield (plain_text, None) and (name, user_id) pieces in order: for renderers."""
    last = 0
    for match in MENTION.finditer(text or ""):
        if match.start() > last:
            yield text[last:match.start()], None
        yield match.group("name"), match.group("id")
        last = match.end()
    if last < len(text or ""):
        yield text[last:], None


def mention_suggestions(*, viewer, community, query: str) -> list[dict]:
    """Verified neighbours of `community` whose display name contains `query` (names starting with
    it first), never the viewer nor anyone blocked either way: id and display name only. One query."""
    query = (query or "").strip()[:40]
    if not query:
        return []
    blocked, blocked_me = block_related_queries(user_id=viewer.pk)
    rows = list(
        Membership.objects.filter(
            community=community, status=MembershipStatus.VERIFIED, user__is_active=True,
            user__profile__display_name__icontains=query,
        )
        .exclude(user=viewer)
        .exclude(user_id__in=blocked)
        .exclude(user_id__in=blocked_me)
        .order_by("user__profile__display_name", "user_id")
        .values_list("user_id", "user__profile__display_name")[:50]
    )
    folded = query.casefold()
    rows.sort(key=lambda row: (not row[1].casefold().startswith(folded), row[1].casefold(), row[0]))
    return [{"id": user_id, "name": name} for user_id, name in rows[:SUGGESTIONS_MAX]]
