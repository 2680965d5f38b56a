"""Groups and help exchange API: thin operations over the selectors and services."""

from ninja import Query, Router, Schema, Status

from neighbourly.communities.selectors import community_get_for_member, community_get_for_moderator
from neighbourly.core.errors import NotFound
from neighbourly.core.ratelimit import client_ip
from neighbourly.feed import schemas as feed_schemas
from neighbourly.feed import selectors as feed_selectors
from neighbourly.feed import services as feed_services
from neighbourly.feed.assembly import feed_page_assemble
from neighbourly.feed.models import PostKind
from neighbourly.groups import schemas, selectors, services
from neighbourly.groups.help import selectors as help_selectors
from neighbourly.groups.help import services as help_services
from neighbourly.groups.models import HelpCategory, HelpKind

router = Router(tags=["groups"])


class GroupListQuery(Schema):
    q: str = ""
    cursor: str | None = None


class GroupFeedQuery(Schema):
    cursor: str | None = None
    kind: PostKind | None = None
    limit: int = feed_selectors.PAGE_SIZE


class HelpListQuery(Schema):
    kind: HelpKind | None = None
    category: HelpCategory | None = None
    cursor: str | None = None


def _group(request, group_id: int):
    return selectors.group_get_for_viewer(viewer=request.auth, group_id=group_id)


def _detail(request, group_id: int) -> dict:
    group = _group(request, group_id)
    return {
        **schemas.group_to_dict(group),
        "conversation_id": group.conversation_id if group.is_member else None,
        "age_mix": selectors.group_age_mix(group=group) if group.can_read else None,
    }


# ---- groups


@router.get("/communities/{slug}/groups", response=schemas.GroupListOut)
def list_groups(request, slug: str, query: Query[GroupListQuery]):
    community, _ = community_get_for_member(user=request.auth, slug=slug)
    groups, next_cursor = selectors.group_list_for_community(
        viewer=request.auth, community=community, query=query.q, cursor=query.cursor
    )
    return {"items": [schemas.group_to_dict(g) for g in groups], "next_cursor": next_cursor}


@router.post("/communities/{slug}/groups", response={201: schemas.GroupDetailOut})
def create_group(request, slug: str, payload: schemas.GroupIn):
    community, _ = community_get_for_member(user=request.auth, slug=slug)
    group = services.group_create(creator=request.auth, community=community, name=payload.name,
                                  description=payload.description, kind=payload.kind.value,
                                  visibility=payload.visibility.value)
    return Status(201, _detail(request, group.id))


@router.get("/groups/{group_id}", response=schemas.GroupDetailOut)
def get_group(request, group_id: int):
    return _detail(request, group_id)


@router.post("/groups/{group_id}/membership", response={201: schemas.GroupMembershipOut})
def join_group(request, group_id: int):
    membership = services.group_join(user=request.auth, group=_group(request, group_id))
    return Status(201, {"status": membership.status, "role": membership.role})


@router.delete("/groups/{group_id}/membership", response={204: None})
def leave_group(request, group_id: int):
    services.group_leave(user=request.auth, group=_group(request, group_id))
    return Status(204, None)


@router.get("/groups/{group_id}/members", response=schemas.MemberListOut)
def list_group_members(request, group_id: int):
    group = selectors.group_get_readable(viewer=request.auth, group_id=group_id)
    items = [{"user_id": m.user_id, "display_name": m.user.profile.display_name, "role": m.role}
             for m in selectors.group_member_list(group=group)]
    return {"items": items}


@router.get("/groups/{group_id}/requests", response=schemas.MemberListOut)
def list_group_requests(request, group_id: int):
    group = _group(request, group_id)
    if not group.is_group_moderator:
        raise NotFound()
    items = [{"user_id": m.user_id, "display_name": m.user.profile.display_name, "role": m.role}
             for m in selectors.group_join_requests(group=group)]
    return {"items": items}


@router.post("/groups/{group_id}/requests/{user_id}", response=schemas.GroupMembershipOut | None)
def decide_group_request(request, group_id: int, user_id: int, payload: schemas.JoinDecisionIn):
    membership = services.group_request_decide(moderator=request.auth, group=_group(request, group_id),
                                               user_id=user_id, approve=payload.approve)
    return {"status": membership.status, "role": membership.role} if membership else None


@router.post("/groups/{group_id}/moderators", response=schemas.GroupMembershipOut)
def appoint_group_moderator(request, group_id: int, payload: schemas.UserRefIn):
    membership = services.group_moderator_appoint(moderator=request.auth, group=_group(request, group_id),
                                                  user_id=payload.user_id)
    return {"status": membership.status, "role": membership.role}


@router.delete("/groups/{group_id}/members/{user_id}", response={204: None})
def remove_group_member(request, group_id: int, user_id: int):
    services.group_member_remove(moderator=request.auth, group=_group(request, group_id), user_id=user_id)
    return Status(204, None)


@router.post("/groups/{group_id}/archive", response=schemas.GroupDetailOut)
def archive_group(request, group_id: int):
    services.group_archive(moderator=request.auth, group=_group(request, group_id))
    return _detail(request, group_id)


@router.get("/groups/{group_id}/feed", response=feed_schemas.FeedOut)
def list_group_feed(request, group_id: int, query: Query[GroupFeedQuery]):
    group = _group(request, group_id)
    context = selectors.group_feed_context(group=group)
    limit = max(1, min(query.limit, feed_selectors.MAX_PAGE_SIZE))
    page = feed_page_assemble(viewer=request.auth, context=context, cursor=query.cursor,
                              kind=query.kind.value if query.kind else None, limit=limit)
    return {"items": [feed_schemas.post_to_dict(item.obj, viewer=request.auth) for item in page.items],
            "next_cursor": page.next_cursor}


@router.post("/groups/{group_id}/posts", response={201: feed_schemas.PostOut})
def create_group_post(request, group_id: int, payload: feed_schemas.PostIn):
    post = services.group_post_create(
        ip=client_ip(request), author=request.auth, group=_group(request, group_id), kind=payload.kind.value, title=payload.title,
        body=payload.body, visibility=payload.visibility.value, price=payload.price, is_free=payload.free,
        event=feed_services.EventDetails(payload.event.starts_at, payload.event.ends_at, payload.event.place)
        if payload.event else None,
        safety=feed_services.SafetyDetails(payload.safety.where, payload.safety.when, payload.safety.urgent)
        if payload.safety else None,
        poll_options=payload.poll.options if payload.poll else None,
        post_anyway=payload.post_anyway,
    )
    post = feed_selectors.post_get_for_viewer(viewer=request.auth, post_id=post.id)
    return Status(201, feed_schemas.post_to_dict(post, viewer=request.auth))


@router.delete("/groups/{group_id}/posts/{post_id}", response={204: None})
def remove_group_post(request, group_id: int, post_id: int):
    post = feed_selectors.post_get_for_viewer(viewer=request.auth, post_id=post_id)
    services.group_post_remove(moderator=request.auth, group=_group(request, group_id), post=post)
    return Status(204, None)


@router.get("/me/groups", response=schemas.GroupListOut)
def list_my_groups(request):
    return {"items": [schemas.group_to_dict(g) for g in selectors.group_list_for_member(viewer=request.auth)],
            "next_cursor": None}


# ---- help exchange


@router.get("/communities/{slug}/help", response=schemas.HelpListingListOut)
def list_help(request, slug: str, query: Query[HelpListQuery]):
    community, _ = community_get_for_member(user=request.auth, slug=slug)
    listings, next_cursor = help_selectors.help_listing_list(
        community=community, kind=query.kind.value if query.kind else None,
        category=query.category.value if query.category else None, cursor=query.cursor,
    )
    return {"items": [schemas.listing_to_dict(x, viewer=request.auth) for x in listings], "next_cursor": next_cursor}


@router.post("/communities/{slug}/help", response={201: schemas.HelpListingOut})
def create_help(request, slug: str, payload: schemas.HelpListingIn):
    community, _ = community_get_for_member(user=request.auth, slug=slug)
    listing = help_services.help_listing_create(
        actor=request.auth, community=community, kind=payload.kind.value, category=payload.category.value,
        description=payload.description, availability=[a.value for a in payload.availability],
        on_behalf_of_id=payload.on_behalf_of, reason=payload.reason,
    )
    listing = help_selectors.help_listing_get_for_viewer(viewer=request.auth, listing_id=listing.id)
    return Status(201, schemas.listing_to_dict(listing, viewer=request.auth))


def _own_listing(request, listing_id: int):
    """The listing, for its owner or a community moderator (who may act for them); else NotFound."""
    listing = help_selectors.help_listing_get_for_viewer(viewer=request.auth, listing_id=listing_id)
    if not (listing.viewer_is_owner or listing.viewer_is_moderator):
        raise NotFound()
    return listing


@router.get("/help/{listing_id}/matches", response=schemas.CandidateListOut)
def list_help_matches(request, listing_id: int):
    listing = _own_listing(request, listing_id)
    items = [
        {"match_id": c.listing.id, "kind": c.listing.kind, "description": c.listing.description,
         "display_name": c.listing.owner.profile.display_name, "overlap": c.overlap}
        for c in help_selectors.help_match_candidates(listing=listing)
    ]
    return {"items": items}


@router.post("/help/{listing_id}/accept", response={201: schemas.MatchOut})
def accept_help_match(request, listing_id: int, payload: schemas.AcceptIn):
    listing = _own_listing(request, listing_id)
    match = help_services.help_match_accept(actor=request.auth, listing=listing, match_id=payload.match_id,
                                            reason=payload.reason)
    return Status(201, schemas.match_to_dict(match))


@router.post("/help/{listing_id}/hours", response=schemas.HoursOut)
def record_help_hours(request, listing_id: int, payload: schemas.HoursIn):
    listing = help_selectors.help_listing_get_for_viewer(viewer=request.auth, listing_id=listing_id)
    match = help_selectors.help_match_for_listing(viewer=request.auth, listing=listing, match_id=payload.match_id)
    entry = help_services.help_hours_confirm(user=request.auth, match=match, hours=payload.hours)
    return {"match_id": match.id, "hours": entry.hours, "status": entry.status,
            "helper_confirmed": entry.helper_confirmed, "helped_confirmed": entry.helped_confirmed}


@router.get("/communities/{slug}/help/hours", response=schemas.HoursTotalsOut)
def my_help_hours(request, slug: str):
    community, _ = community_get_for_member(user=request.auth, slug=slug)
    return help_selectors.help_hours_totals(user=request.auth, community=community)


@router.get("/communities/{slug}/help/thanks", response=schemas.ThanksListOut)
def list_help_thanks(request, slug: str):
    community, _ = community_get_for_member(user=request.auth, slug=slug)
    rows = help_selectors.help_thanks_board(community=community)
    return {"items": [{"display_name": r["match__helper__profile__display_name"], "hours": r["total"]} for r in rows],
            "opted_in": help_selectors.help_thanks_opted_in(user=request.auth, community=community)}


@router.put("/communities/{slug}/help/thanks", response=schemas.ThanksOptIn)
def set_help_thanks(request, slug: str, payload: schemas.ThanksOptIn):
    community, _ = community_get_for_member(user=request.auth, slug=slug)
    return {"opted_in": help_services.help_thanks_opt_set(user=request.auth, community=community,
                                                          opted_in=payload.opted_in)}


@router.get("/communities/{slug}/help/proxy-log", response=schemas.ProxyLogOut)
def list_proxy_log(request, slug: str):
    community, _ = community_get_for_moderator(user=request.auth, slug=slug)
    items = [
        {"id": a.id, "moderator": a.moderator.profile.display_name if a.moderator else "Former moderator",
         "member": a.member.profile.display_name, "action": a.action, "listing_id": a.listing_id,
         "match_id": a.match_id, "reason": a.reason, "created_at": a.created_at}
        for a in help_selectors.proxy_action_log(community=community)
    ]
    return {"items": items}
