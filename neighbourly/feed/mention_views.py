"""The composer's @mention autocomplete: a small JSON list of the community's verified neighbours."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from neighbourly.core.errors import NotFound
from neighbourly.feed.mentions import mention_suggestions
from neighbourly.feed.selectors import feed_context_for_member


@login_required
@require_GET
def mention_suggest(request, slug: str):
    """GET ?q=an -> {"items": [{"id": 12, "name": "Ana Smith"}, …]}; another community's is a 404."""
    try:
        context = feed_context_for_member(viewer=request.user, slug=slug)
    except NotFound:
        return JsonResponse({"detail": "Not found."}, status=404)
    query = request.GET.get("q", "")
    if len(query) > 40:
        return JsonResponse({"detail": "Type at most 40 characters."}, status=400)
    items = mention_suggestions(viewer=request.user, community=context.community, query=query)
    return JsonResponse({"items": items})
