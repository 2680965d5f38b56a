"""Feed pages: the community page (a verified member's feed), post detail, and the htmx actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.core.forms import form_add_application_error
from neighbourly.core.images import image_response
from neighbourly.core.ratelimit import client_ip
from neighbourly.feed import selectors, services
from neighbourly.feed.assembly import feed_newer_assemble, feed_page_assemble
from neighbourly.feed.forms import CommentForm, PostEditForm, PostForm
from neighbourly.feed.models import PostKind, ReactionKind, RsvpStatus
from neighbourly.feed.notify import post_target
from neighbourly.feed.services.posts import NudgeRequired
from neighbourly.notifications.services import notifications_mark_read_for

PAGE = "communities/detail.html"
POST_PAGE = "feed/post.html"


def _kind(request) -> str | None:
    kind = request.GET.get("kind") or None
    return kind if kind in PostKind.values else None


def community_feed(request, *, slug: str):
    """The verified member's community page. Raises NotFound for anyone else (the caller decides).
    Five queries in all: session, user, member context, posts, images."""
    context = selectors.feed_context_for_member(viewer=request.user, slug=slug)
    kind = _kind(request)
    # A bad cursor (InvalidCursor) leaves the view: the middleware shows the first page with the message.
    page = feed_page_assemble(viewer=request.user, context=context, cursor=request.GET.get("cursor"), kind=kind)
    ctx = {
        "community": context.community,
        "membership": context.membership,
        "has_nearby": bool(context.nearby_ids),
        "page": page,
        "kind": kind,
        "kinds": PostKind.choices,
        "reaction_kinds": ReactionKind.choices,
        "form": PostForm(has_nearby=bool(context.nearby_ids)),
    }
    template = f"{PAGE}#post-list" if request.htmx and request.GET.get("cursor") else PAGE
    return render(request, template, ctx)


@login_required
@require_GET
def feed_page(request, slug: str):
    """Older posts for infinite scroll (htmx) or a plain link."""
    return community_feed(request, slug=slug)


@login_required
@require_GET
def feed_new(request, slug: str):
    """The live feed's "N new posts": the posts since `since` (others' only), as cards to put on top
    of the list (htmx; the answer also moves the page's `since` marker), or as `{"ids": [...]}` with
    `?ids=1` (the count after a reconnect). Four queries: session, user, member context, posts."""
    try:
        context = selectors.feed_context_for_member(viewer=request.user, slug=slug)
        if request.GET.get("ids"):
            since = selectors.Cursor.decode(request.GET.get("since"))
            if since is None:
                raise ApplicationError("Say since when.")
            ids = selectors.post_list_for_feed(viewer=request.user, context=context, since=since, kind=_kind(request),
                                               limit=selectors.MAX_PAGE_SIZE, ids_only=True)
            return JsonResponse({"ids": ids})
        page = feed_newer_assemble(viewer=request.user, context=context, since=request.GET.get("since"),
                                   kind=_kind(request))
    except NotFound:
        raise
    except ApplicationError as exc:
        return JsonResponse({"detail": exc.message}, status=400)
    return render(request, f"{PAGE}#new-posts", {"page": page, "reaction_kinds": ReactionKind.choices})


@login_required
@require_POST
def post_create(request, slug: str):
    context = selectors.feed_context_for_member(viewer=request.user, slug=slug)
    form = PostForm(request.POST, request.FILES, has_nearby=bool(context.nearby_ids))
    nudge, created = [], None
    if form.is_valid():
        try:
            created = services.post_create(
                ip=client_ip(request), author=request.user, community=context.community, images=request.FILES.getlist("images"),
                post_anyway=form.cleaned_data["post_anyway"], **form.service_kwargs(),
            )
        except NudgeRequired as exc:
            nudge = exc.reasons
        except ApplicationError as exc:
            form_add_application_error(form, exc)
    if not request.htmx:
        if created:
            return redirect("site:community", slug=slug)
        messages.error(request, " ".join(nudge) or "Your post was not published: " + " ".join(
            e for errors in form.errors.values() for e in errors))
        return redirect("site:community", slug=slug)
    post = selectors.post_get_for_viewer(viewer=request.user, post_id=created.id) if created else None
    ctx = {
        "community": context.community,
        "has_nearby": bool(context.nearby_ids),
        "form": PostForm(has_nearby=bool(context.nearby_ids)) if created else form,
        "nudge": nudge,
        "created": post,
        "post": post,
        "reaction_kinds": ReactionKind.choices,
        "kinds": PostKind.choices,
    }
    return render(request, f"{PAGE}#composer-result", ctx)


def _card(request, post_id: int, error: str | None = None):
    """After an action: the fresh card for htmx, or back to the post page."""
    if error:
        messages.error(request, error)
    if request.htmx:
        post = selectors.post_get_for_viewer(viewer=request.user, post_id=post_id)
        return render(request, f"{POST_PAGE}#post-card",
                      {"post": post, "reaction_kinds": ReactionKind.choices, "card_error": error})
    return redirect("feed:detail", post_id=post_id)


@login_required
def post_detail(request, post_id: int):
    post = selectors.post_get_for_viewer(viewer=request.user, post_id=post_id)
    notifications_mark_read_for(user=request.user, target=post_target(post.id))  # replies, reactions, mentions
    ctx = {
        "post": post,
        "comments": selectors.comment_list_for_post(post=post, viewer=request.user),
        "comment_form": CommentForm(),
        "reaction_kinds": ReactionKind.choices,
        "detail": True,
    }
    template = f"{POST_PAGE}#comments" if request.htmx and request.GET.get("part") == "comments" else POST_PAGE
    return render(request, template, ctx)


@login_required
def post_edit(request, post_id: int):
    post = selectors.post_get_for_viewer(viewer=request.user, post_id=post_id)
    if post.author_id != request.user.pk:
        raise Http404
    nudge = []
    if request.method == "POST":
        form = PostEditForm(request.POST, post=post)
        if form.is_valid():
            try:
                services.post_update(user=request.user, post=post, **form.service_kwargs())
                return redirect("feed:detail", post_id=post.id)
            except NudgeRequired as exc:
                nudge = exc.reasons
            except ApplicationError as exc:
                form_add_application_error(form, exc)
    else:
        form = PostEditForm(post=post)
    return render(request, "feed/post_edit.html", {"post": post, "form": form, "nudge": nudge})


@login_required
@require_POST
def post_delete(request, post_id: int):
    post = selectors.post_get_for_viewer(viewer=request.user, post_id=post_id)
    try:
        services.post_delete(user=request.user, post=post)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("feed:detail", post_id=post_id)
    messages.success(request, "Your post was deleted.")
    return redirect("site:community", slug=post.community.slug)


@login_required
@require_POST
def post_react(request, post_id: int):
    post = selectors.post_get_for_viewer(viewer=request.user, post_id=post_id)
    kind = request.POST.get("kind", "")
    try:
        if post.my_reaction == kind:
            services.reaction_remove(user=request.user, post=post, kind=kind)
        else:
            services.reaction_set(user=request.user, post=post, kind=kind)
    except ApplicationError as exc:
        return _card(request, post_id, exc.message)
    return _card(request, post_id)


@login_required
@require_POST
def post_vote(request, post_id: int):
    post = selectors.post_get_for_viewer(viewer=request.user, post_id=post_id)
    try:
        services.poll_vote(user=request.user, post=post, option=int(request.POST.get("option", "")))
    except ValueError:
        return _card(request, post_id, "Choose an option first.")
    except NotFound:
        raise
    except ApplicationError as exc:
        return _card(request, post_id, exc.message)
    return _card(request, post_id)


@login_required
@require_POST
def post_rsvp(request, post_id: int):
    post = selectors.post_get_for_viewer(viewer=request.user, post_id=post_id)
    status = request.POST.get("status", "")
    try:
        services.event_rsvp(user=request.user, post=post, status=status if status in RsvpStatus.values else "")
    except NotFound:
        raise
    except ApplicationError as exc:
        return _card(request, post_id, exc.message)
    return _card(request, post_id)


@login_required
@require_POST
def comment_create(request, post_id: int):
    post = selectors.post_get_for_viewer(viewer=request.user, post_id=post_id)
    form = CommentForm(request.POST)
    nudge = []
    if form.is_valid():
        try:
            services.comment_create(author=request.user, post=post, body=form.cleaned_data["body"],
                                    parent_id=form.cleaned_data["parent_id"],
                                    post_anyway=form.cleaned_data["post_anyway"], ip=client_ip(request))
            form = CommentForm()
        except NudgeRequired as exc:
            nudge = exc.reasons
        except ApplicationError as exc:
            form_add_application_error(form, exc)
    if not request.htmx:
        for error in nudge or [e for errors in form.errors.values() for e in errors]:
            messages.error(request, error)
        return redirect("feed:detail", post_id=post_id)
    post = selectors.post_get_for_viewer(viewer=request.user, post_id=post_id)
    ctx = {"post": post, "comments": selectors.comment_list_for_post(post=post, viewer=request.user), "comment_form": form,
           "nudge": nudge}
    return render(request, f"{POST_PAGE}#comments", ctx)


@login_required
@require_GET
def post_image(request, post_id: int, image_id: int, variant: str = "full"):
    post = selectors.post_get_for_viewer(viewer=request.user, post_id=post_id)
    image = next((i for i in post.images.all() if i.id == image_id), None)
    if image is None:
        raise Http404
    name = image.thumbnail if variant == "thumb" and image.thumbnail else image.file
    return image_response(name=name, content_type=image.content_type)
