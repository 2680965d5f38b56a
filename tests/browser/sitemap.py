"""Every HTML page of the site, as each demo role sees it, for the layout and accessibility tests.

Pages come from the URLconf, not from a hand-kept list, so a page added later is checked too:
each route's arguments are filled from the demo neighbourhood (the community's slug, a post, a
group, a business, an offer, the role's own conversation, ...). A route whose arguments we cannot
fill (tokens, image ids) is left out; so is any answer that is not a 200 HTML page (POST-only
actions answer 405, downloads and images are not pages).
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver

from neighbourly.demo import DEMO_DOMAIN, DEMO_PASSWORD, demo_seed
from tests.browser.conftest import log_in

ROLES = ("anonymous", "newcomer", "resident", "moderator", "merchant")
SKIPPED_PREFIXES = ("admin", "api/")
# Routes that change something or end the session even if someone sends them a GET.
SKIPPED_NAMES = {"accounts:logout"}


@dataclass(frozen=True)
class Page:
    name: str
    url: str


def _routes(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, route, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", route, dict(entry.default_args)


def _demo_ids(user) -> dict:
    """Argument name -> value, from the demo data, for `user` (None when anonymous)."""
    from neighbourly.feed.models import Post
    from neighbourly.groups.models import Group, HelpListing, HelpMatch
    from neighbourly.merchants.models import Business, Offer
    from neighbourly.moderation.models import Action, Appeal, Case
    from neighbourly.realtime.models import Conversation
    from neighbourly.verification.models import Claim, PostcardBatch

    def first(queryset):
        obj = queryset.order_by("pk").first()
        return obj.pk if obj else None

    ids = {
        "slug": "millbrook",
        "post_id": first(Post.objects.filter(community__slug="millbrook", hidden_at__isnull=True)),
        "group_id": first(Group.objects.filter(community__slug="millbrook")),
        "listing_id": first(HelpListing.objects.filter(community__slug="millbrook")),
        "match_id": first(HelpMatch.objects.all()),
        "business_id": first(Business.objects.all()),
        "offer_id": first(Offer.objects.all()),
        "item_id": first(Case.objects.all()),
        "action_id": first(Action.objects.all()),
        "appeal_id": first(Appeal.objects.all()),
        "batch_id": first(PostcardBatch.objects.all()),
        "claim_id": first(Claim.objects.all()),
        "conversation_id": first(Conversation.objects.all()),
    }
    if user is not None:
        ids["user_id"] = user.pk
        own_claim = first(Claim.objects.filter(user=user))
        ids["claim_id"] = own_claim or ids["claim_id"]
        ids["conversation_id"] = first(Conversation.objects.filter(members__user=user)) or ids["conversation_id"]
        own_business = first(Business.objects.filter(ownerships__user=user))
        ids["business_id"] = own_business or ids["business_id"]
    return ids


def candidate_urls(user) -> list[Page]:
    ids = _demo_ids(user)
    pages = []
    for name, route, defaults in _routes():
        if name in SKIPPED_NAMES or defaults:
            continue
        url = "/" + route.replace("\\Z", "").lstrip("^")
        for arg in _route_args(route):
            if ids.get(arg) is None:
                break
            url = url.replace(f"<{_converter(route, arg)}{arg}>", str(ids[arg]))
        else:
            pages.append(Page(name, url))
    return pages


def _route_args(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def _converter(route: str, arg: str) -> str:
    match = re.search(rf"<(\w+:)?{arg}>", route)
    return match.group(1) or ""


# Pages each role must reach, so that a broken login or seed cannot make a walk pass on nothing.
MIN_PAGES = {"anonymous": 3, "newcomer": 12, "resident": 20, "moderator": 30, "merchant": 10}


def open_as(browser, live_server, role: str, viewport: dict):
    """A new context for `role` (logged in unless anonymous) -> (context, page, user)."""
    from neighbourly.accounts.models import User

    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    context.set_default_timeout(15_000)
    page = context.new_page()
    user = None
    if role != "anonymous":
        user = User.objects.get(email=f"{role}@{DEMO_DOMAIN}")
        log_in(page, user.email, DEMO_PASSWORD)
    return context, page, user


def is_html_page(context, url: str) -> bool:
    """True when `url` answers a whole HTML page (not an error, a download, an image or an htmx fragment).

    Asked through the context's request API (same cookies) rather than by navigating: Chromium's
    error pages for 405s interrupt the navigations that follow them.
    """
    response = context.request.get(url)
    if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
        return False
    return "<html" in response.text()[:200]


def walk_every_page(browser, live_server, viewport: dict, check, before=None) -> dict:
    """Seed the demo once; for each role, in one context, open every page and call check(page, role, item).

    `before(user)` may add data for a role first. Returns {"<role> <url>": what check returned} for every
    page where check returned something (a problem).
    """
    demo_seed()
    problems = {}
    for role in ROLES:
        context, page, user = open_as(browser, live_server, role, viewport)
        try:
            if before is not None:
                before(user)
            seen = set()
            for candidate in candidate_urls(user):
                if not is_html_page(context, candidate.url):
                    continue
                page.goto(candidate.url)
                final = urlsplit(page.url).path  # redirects to the login page (?next=...) count once
                if final in seen:
                    continue
                seen.add(final)
                if problem := check(page, role, Page(candidate.name, final)):
                    problems[f"{role} {final}"] = problem
            assert len(seen) >= MIN_PAGES[role], (role, sorted(seen))
        finally:
            context.close()
    return problems
