"""Feed API: thin operations over feed.selectors / feed.services / feed.assembly."""

from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from neighbourly.core.errors import NotFound
from neighbourly.core.ratelimit import client_ip
from neighbourly.feed import schemas, selectors, services
from neighbourly.feed.assembly import feed_page_assemble
from neighbourly.feed.models import PostKind

router = Router(tags=["feed"])


class FeedQuery(Schema):
    cursor: str | None = None
    kind: PostKind | None = None
    limit: int = selectors.PAGE_SIZE


def _post_out(request, post_id: int) -> dict:
    post = selectors.post_get_for_viewer(viewer=request.auth, post_id=post_id)
    return schemas.post_to_dict(post, viewer=request.auth)


@router.get("/communities/{slug}/feed", response=schemas.FeedOut)
def list_feed(request, slug: str, query: Query[FeedQuery]):
    context = selectors.feed_context_for_member(viewer=request.auth, slug=slug)
    limit = max(1, min(query.limit, selectors.MAX_PAGE_SIZE))
    page = feed_page_assemble(viewer=request.auth, context=context, cursor=query.cursor,
                              kind=query.kind.value if query.kind else None, limit=limit)
    items = [
        schemas.post_to_dict(item.obj, viewer=request.auth) if item.type == "post"
        else {"type": item.type, **item.source.to_api(item.obj, viewer=request.auth)}
        for item in page.items
    ]
    return {"items": items, "next_cursor": page.next_cursor}


@router.post("/communities/{slug}/posts", response={201: schemas.PostOut})
def create_post(request, slug: str, payload: schemas.PostIn):
    context = selectors.feed_context_for_member(viewer=request.auth, slug=slug)
    post = services.post_create(
        ip=client_ip(request), author=request.auth,
        community=context.community,
        kind=payload.kind.value,
        title=payload.title,
        body=payload.body,
        visibility=payload.visibility.value,
        price=payload.price,
        is_free=payload.free,
        event=services.EventDetails(payload.event.starts_at, payload.event.ends_at, payload.event.place)
        if payload.event else None,
        safety=services.SafetyDetails(payload.safety.where, payload.safety.when, payload.safety.urgent)
        if payload.safety else None,
        poll_options=payload.poll.options if payload.poll else None,
        post_anyway=payload.post_anyway,
    )
    return Status(201, _post_out(request, post.id))


@router.get("/posts/{post_id}", response=schemas.PostOut)
def get_post(request, post_id: int):
    return _post_out(request, post_id)


@router.patch("/posts/{post_id}", response=schemas.PostOut)
def update_post(request, post_id: int, payload: schemas.PostPatchIn):
    post = selectors.post_get_for_viewer(viewer=request.auth, post_id=post_id)
    services.post_update(
        user=request.auth, post=post, title=payload.title, body=payload.body, price=payload.price,
        is_free=payload.free,
        event=services.EventDetails(payload.event.starts_at, payload.event.ends_at, payload.event.place)
        if payload.event else None,
        safety_where=payload.safety_where, safety_when=payload.safety_when, post_anyway=payload.post_anyway,
    )
    return _post_out(request, post_id)


@router.delete("/posts/{post_id}", response={204: None})
def delete_post(request, post_id: int):
    post = selectors.post_get_for_viewer(viewer=request.auth, post_id=post_id)
    services.post_delete(user=request.auth, post=post)
    return Status(204, None)


@router.post("/posts/{post_id}/images", response={201: schemas.PostOut})
def add_post_image(request, post_id: int, file: File[UploadedFile]):
    post = selectors.post_get_for_viewer(viewer=request.auth, post_id=post_id)
    services.post_image_add(user=request.auth, post=post, upload=file)
    return Status(201, _post_out(request, post_id))


@router.get("/posts/{post_id}/comments", response=schemas.CommentListOut)
def list_comments(request, post_id: int):
    post = selectors.post_get_for_viewer(viewer=request.auth, post_id=post_id)
    items = []
    for comment in selectors.comment_list_for_post(post=post, viewer=request.auth):
        if not comment.from_blocked:  # only its replies are shown (see the selector)
            items.append(schemas.comment_to_dict(comment))
        items.extend(schemas.comment_to_dict(reply) for reply in comment.reply_list)
    return {"items": items, "next_cursor": None}


@router.post("/posts/{post_id}/comments", response={201: schemas.CommentOut})
def create_comment(request, post_id: int, payload: schemas.CommentIn):
    post = selectors.post_get_for_viewer(viewer=request.auth, post_id=post_id)
    comment = services.comment_create(author=request.auth, post=post, body=payload.body,
                                      parent_id=payload.parent_id, post_anyway=payload.post_anyway, ip=client_ip(request))
    comment = next(c for top in selectors.comment_list_for_post(post=post) for c in [top, *top.reply_list]
                   if c.id == comment.id)
    return Status(201, schemas.comment_to_dict(comment))


@router.put("/posts/{post_id}/reactions/{kind}", response=schemas.ReactionsOut)
def set_reaction(request, post_id: int, kind: str):
    post = selectors.post_get_for_viewer(viewer=request.auth, post_id=post_id)
    services.reaction_set(user=request.auth, post=post, kind=kind)
    out = _post_out(request, post_id)
    return {"reactions": out["reactions"], "my_reaction": out["my_reaction"]}


@router.delete("/posts/{post_id}/reactions/{kind}", response=schemas.ReactionsOut)
def remove_reaction(request, post_id: int, kind: str):
    post = selectors.post_get_for_viewer(viewer=request.auth, post_id=post_id)
    services.reaction_remove(user=request.auth, post=post, kind=kind)
    out = _post_out(request, post_id)
    return {"reactions": out["reactions"], "my_reaction": out["my_reaction"]}


@router.post("/posts/{post_id}/vote", response=schemas.PostOut)
def vote_poll(request, post_id: int, payload: schemas.VoteIn):
    post = selectors.post_get_for_viewer(viewer=request.auth, post_id=post_id)
    services.poll_vote(user=request.auth, post=post, option=payload.option)
    return _post_out(request, post_id)


@router.post("/posts/{post_id}/rsvp", response=schemas.PostOut)
def rsvp_event(request, post_id: int, payload: schemas.RsvpIn):
    post = selectors.post_get_for_viewer(viewer=request.auth, post_id=post_id)
    services.event_rsvp(user=request.auth, post=post, status=payload.status.value)
    return _post_out(request, post_id)


__all__ = ["router", "NotFound"]
