from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from neighbourly.accounts import api as account_api
from neighbourly.accounts import schemas as account_schemas
from neighbourly.accounts.api import block_out
from neighbourly.accounts.selectors import block_list
from neighbourly.communities import neighbours, schemas, selectors, services
from neighbourly.core.pagination import keyset_page

router = Router(tags=["communities"])


class AddressSearchQuery(Schema):
    q: str = Field(min_length=1, max_length=200)


@router.get("/communities", auth=None, response=list[schemas.CommunityRef])
def list_communities(request):
    return selectors.community_list()


@router.get("/communities/{slug}", auth=None, response=schemas.CommunityOut)
def get_community(request, slug: str):
    community = selectors.community_get_public(slug=slug)
    return {
        "slug": community.slug,
        "name": community.name,
        "nearby": community.nearby.all(),
        "verified_members": community.verified_count,
        "boundary": community.boundary,
    }


@router.get("/addresses/search", auth=None, response=list[schemas.AddressCandidateOut])
def search_addresses(request, filters: Query[AddressSearchQuery]):
    return selectors.address_search(query=filters.q)


@router.get("/communities/{slug}/directory", response=list[schemas.DirectoryEntryOut])
def list_directory(request, slug: str):
    community, _ = selectors.community_get_for_member(user=request.auth, slug=slug)
    return selectors.directory_list(community=community)


# --- neighbours -----------------------------------------------------------------------------


def _avatar_url(user_id: int, has_avatar: bool) -> str | None:
    return reverse("communities:avatar", args=[user_id]) if has_avatar else None


@router.get("/neighbours", response=schemas.NeighbourPage)
def search_neighbours(request, filters: Query[schemas.NeighbourSearchQuery]):
    """Verified residents of your communities whose display name contains `q` (New message)."""
    rows = neighbours.neighbour_search(viewer=request.auth, query=filters.q)
    return {
        "items": [{**row, "avatar_url": _avatar_url(row["id"], row["has_avatar"])} for row in rows],
        "next_cursor": None,
    }


@router.get("/neighbours/{user_id}", response=schemas.NeighbourCardOut)
def get_neighbour(request, user_id: int):
    """A neighbour's profile card: only for residents who share (or live near) a community."""
    card = neighbours.neighbour_card(viewer=request.auth, user_id=user_id)
    return {
        "id": card.user.pk,
        "display_name": card.display_name,
        "street": card.street,
        "community": card.community.name,
        "avatar_url": _avatar_url(card.user.pk, card.has_avatar),
        "bio": card.bio,
        "groups_in_common": [{"id": g.id, "name": g.name} for g in card.groups_in_common],
        "blocked_by_me": card.blocked_by_me,
        "can_message": card.can_message,
    }


# GET and POST /me/blocks live on one router (ninja routes a path to one router).
@router.get("/me/blocks", response=account_schemas.BlockPage)
def list_blocks(request, filters: Query[account_schemas.BlockListQuery]):
    rows, next_cursor = keyset_page(block_list(user=request.auth), keys=("created_at", "id"), cursor=filters.cursor,
                                    size=account_api.BLOCK_PAGE)
    return {"items": [block_out(b) for b in rows], "next_cursor": next_cursor}


@router.post("/me/blocks", response={201: account_schemas.BlockOut})
def create_block(request, payload: account_schemas.BlockIn):
    block = services.neighbour_block(blocker=request.auth, blocked_id=payload.user_id)
    return Status(201, block_out(block_list(user=request.auth).get(pk=block.pk)))
