from ninja import Query, Router, Schema
from pydantic import Field

from neighbourly.communities import schemas, selectors

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
