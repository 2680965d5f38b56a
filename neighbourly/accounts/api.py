from django.middleware.csrf import get_token
from django.urls import reverse
from ninja import Query, Router, Status

from neighbourly.accounts import neighbours, privacy, schemas, services
from neighbourly.accounts.selectors import block_list, user_get_with_profile
from neighbourly.communities.selectors import membership_list_for_user

router = Router(tags=["accounts"])


def _me(user) -> dict:
    user = user_get_with_profile(user_id=user.pk)
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.profile.display_name,
        "bio": user.profile.bio,
        "age_band": user.profile.age_band or None,
        "neighbour_label": user.profile.neighbour_label,
        "in_directory": user.profile.in_directory,
        "memberships": [
            {
                "community": m.community.slug,
                "community_name": m.community.name,
                "role": m.role,
                "status": m.status,
                "street": m.address.street if m.address_id else None,
            }
            for m in membership_list_for_user(user=user)
        ],
    }


@router.post("/auth/signup", auth=None, response={201: schemas.MeOut})
def signup(request, payload: schemas.SignupIn):
    services.user_create(email=payload.email, password=payload.password, display_name=payload.display_name)
    user = services.user_login(request=request, email=payload.email, password=payload.password)
    return Status(201, _me(user))


@router.post("/auth/login", auth=None, response=schemas.MeOut)
def login(request, payload: schemas.LoginIn):
    return _me(services.user_login(request=request, email=payload.email, password=payload.password))


@router.post("/auth/logout", response={204: None})
def logout(request):
    services.user_logout(request=request)
    return Status(204, None)


@router.get("/auth/csrf", auth=None, response=schemas.CsrfOut)
def csrf(request):
    return {"csrf_token": get_token(request)}


@router.get("/me", response=schemas.MeOut)
def get_me(request):
    return _me(request.auth)


@router.patch("/me", response=schemas.MeOut)
def update_me(request, payload: schemas.MePatchIn):
    age_band = "" if payload.clear_age_band else (payload.age_band.value if payload.age_band else None)
    services.profile_update(
        user=request.auth, display_name=payload.display_name, bio=payload.bio, age_band=age_band
    )
    if payload.neighbour_label is not None or payload.in_directory is not None:
        services.profile_privacy_update(
            user=request.auth, neighbour_label=payload.neighbour_label, in_directory=payload.in_directory
        )
    return _me(request.auth)


@router.post("/me/tokens", response={201: schemas.TokenOut})
def create_token(request, payload: schemas.TokenIn):
    token, raw = services.api_token_create(user=request.auth, name=payload.name)
    return Status(201, {"id": token.pk, "name": token.name, "token": raw})


@router.get("/me/export")
def export_me(request):
    """Everything Neighbourly holds about you, as JSON (never other people's private data)."""
    return privacy.user_export(user=request.auth)


@router.delete("/me", response={204: None})
def delete_me(request, payload: schemas.DeleteMeIn):
    services.user_delete_confirmed(
        request=request, user=request.auth, password=payload.password, keep_content=payload.keep_content
    )
    return Status(204, None)


# --- neighbours and blocks ------------------------------------------------------------------

BLOCK_PAGE = 50


def _avatar_url(user_id: int, has_avatar: bool) -> str | None:
    return reverse("feed:avatar", args=[user_id]) if has_avatar else None


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


def _block_out(block) -> dict:
    return {"user_id": block.blocked_id, "display_name": block.blocked.profile.display_name,
            "created_at": block.created_at}


@router.get("/me/blocks", response=schemas.BlockPage)
def list_blocks(request, filters: Query[schemas.BlockListQuery]):
    offset = int(filters.cursor) if filters.cursor and filters.cursor.isdigit() else 0
    rows = list(block_list(user=request.auth)[offset : offset + BLOCK_PAGE + 1])
    more = len(rows) > BLOCK_PAGE
    return {"items": [_block_out(b) for b in rows[:BLOCK_PAGE]],
            "next_cursor": str(offset + BLOCK_PAGE) if more else None}


@router.post("/me/blocks", response={201: schemas.BlockOut})
def create_block(request, payload: schemas.BlockIn):
    block = services.block_create(blocker=request.auth, blocked_id=payload.user_id)
    return Status(201, _block_out(block_list(user=request.auth).get(pk=block.pk)))


@router.delete("/me/blocks/{user_id}", response={204: None})
def delete_block(request, user_id: int):
    services.block_delete(blocker=request.auth, blocked_id=user_id)
    return Status(204, None)
