"""Plain text with links and @mentions made clickable. Every character from a member is escaped;
only the anchors we build ourselves (http/https, rel=nofollow noopener ugc; mentions to the
neighbour's profile) are markup."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from neighbourly.feed.mentions import mention_html, mention_split

register = template.Library()

_URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


def _urls(text: str) -> str:
    out, last = [], 0
    for match in _URL.finditer(text or ""):
        url = match.group(0)
        trimmed = url.rstrip(_TRAILING)
        start, end = match.start(), match.start() + len(trimmed)
        out.append(escape(text[last:start]))
        out.append(
            f'<a href="{escape(trimmed)}" rel="nofollow noopener noreferrer ugc" target="_blank">{escape(trimmed)}</a>'
        )
        last = end
    out.append(escape((text or "")[last:]))
    return "".join(out)


def linkify_text(text: str) -> str:
    html = "".join(
        _urls(piece) if user_id is None else mention_html(piece, user_id) for piece, user_id in mention_split(text or "")
    )
    return html.replace("\r\n", "\n").replace("\n", "<br>")


@register.filter(name="linkify")
def linkify(text: str) -> str:
    return mark_safe(linkify_text(text))  # noqa: S308 - built only from escaped pieces above


@register.filter
def poll_rows(post) -> list[dict]:
    counts = post.poll_counts or [0] * len(post.poll_options)
    total = sum(counts) or 1
    return [
        {"index": i, "label": label, "votes": counts[i], "percent": round(100 * counts[i] / total),
         "mine": i == post.my_vote}
        for i, label in enumerate(post.poll_options)
    ]


@register.filter
def reaction_rows(post) -> list[dict]:
    from neighbourly.feed.models import ReactionKind

    return [
        {"value": value, "label": label, "count": post.reaction_counts.get(value, 0), "mine": post.my_reaction == value}
        for value, label in ReactionKind.choices
    ]
