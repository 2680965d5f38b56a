from django.middleware.csrf import get_token
from ninja import Router, Status

from neighbourly.accounts import privacy, schemas, services
from neighbourly.accounts.selectors import user_get_with_profile
from neighbourly.communities.selectors import membership_list_for_user
from neighbourly.core.ratelimit import client_ip, rate_limit

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
    rate_limit("signup", ip=client_ip(request))
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
