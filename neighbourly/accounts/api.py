from django.middleware.csrf import get_token
from django.urls import reverse
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.utils import check_csrf

from neighbourly.accounts import neighbours, privacy, schemas, services
from neighbourly.accounts.avatars import avatar_url, profile_avatar_set
from neighbourly.accounts.selectors import block_list, user_get_with_profile
from neighbourly.communities.selectors import membership_list_for_user
from neighbourly.core.errors import ApplicationError, PermissionDenied
from neighbourly.core.ratelimit import client_ip, rate_limit

router = Router(tags=["accounts"])

CHECK_INBOX = "Check your inbox: we sent a link to {email}."


class UnsupportedMediaType(ApplicationError):
    status_code = 415


def _require_same_site(request) -> None:
    """Operations that log in or act for an anonymous visitor: JSON with the CSRF token only.

    A cross-site form can post text/plain (even text that parses as JSON) without a preflight;
    it can neither send application/json nor read our CSRF token. GET /auth/csrf gives the token
    (send it as X-CSRFToken); scripts use personal tokens instead.
    """
    if request.content_type != "application/json":
        raise UnsupportedMediaType("Send JSON with 'Content-Type: application/json'.")
    if check_csrf(request) is not None:
        raise PermissionDenied("CSRF check failed: GET /api/v1/auth/csrf and send its token as X-CSRFToken.")


def _me(user) -> dict:
    user = user_get_with_profile(user_id=user.pk)
    return {
        "id": user.pk,
        "email": user.email,
        "email_confirmed": user.email_confirmed,
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


@router.post("/auth/signup", auth=None, response={202: schemas.DetailOut})
def signup(request, payload: schemas.SignupIn):
    """Always 202 "check your inbox" for valid input, whether or not the address has an account
    (a new one gets a confirmation link, an existing one a note to its owner). Nobody is logged in:
    POST /auth/confirm-email with the link's token does that."""
    _require_same_site(request)
    rate_limit("signup", ip=client_ip(request))
    services.user_signup(email=payload.email, password=payload.password, display_name=payload.display_name)
    return Status(202, {"detail": CHECK_INBOX.format(email=payload.email.strip().lower())})


@router.post("/auth/confirm-email", auth=None, response=schemas.MeOut)
def confirm_email(request, payload: schemas.ConfirmEmailIn):
    """Confirm the address in a mailed link (sign-up or e-mail change) and log in as its account."""
    _require_same_site(request)
    user = services.email_confirm(token=payload.token)
    services.user_login_confirmed(request=request, user=user)
    return _me(user)


@router.post("/auth/confirm-email/resend", response={202: schemas.DetailOut})
def resend_confirmation(request):
    services.email_confirmation_resend(user=request.auth)
    return Status(202, {"detail": CHECK_INBOX.format(email=request.auth.email)})


@router.post("/auth/login", auth=None, response=schemas.MeOut)
def login(request, payload: schemas.LoginIn):
    _require_same_site(request)
    return _me(services.user_login(request=request, email=payload.email, password=payload.password))


@router.post("/auth/password-reset", auth=None, response={202: schemas.DetailOut})
def password_reset(request, payload: schemas.PasswordResetIn):
    """The same answer whether or not the address has an account."""
    _require_same_site(request)
    services.password_reset_request(email=payload.email)
    return Status(202, {"detail": "If an account uses this address, we sent it a link to choose a new password."})


@router.post("/auth/password-reset/confirm", auth=None, response={204: None})
def password_reset_confirm(request, payload: schemas.PasswordResetConfirmIn):
    """uid and token from the mailed link; then log in with the new password."""
    _require_same_site(request)
    services.password_reset_confirm(uid=payload.uid, token=payload.token, password=payload.password)
    return Status(204, None)


@router.post("/me/password", response={204: None})
def change_password(request, payload: schemas.PasswordChangeIn):
    services.password_change(request=request, user=request.auth,
                             current_password=payload.current_password, new_password=payload.new_password)
    return Status(204, None)


@router.post("/me/email", response={202: schemas.DetailOut})
def change_email(request, payload: schemas.EmailChangeIn):
    """The new address takes effect when the link mailed to it is opened; the old one is told."""
    services.email_change_request(user=request.auth, new_email=payload.email, password=payload.password)
    return Status(202, {"detail": CHECK_INBOX.format(email=payload.email.strip().lower())})


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


@router.post("/me/avatar", response={201: schemas.AvatarOut})
def set_avatar(request, file: File[UploadedFile]):
    profile = profile_avatar_set(user=request.auth, upload=file)
    return Status(201, {"avatar_url": avatar_url(request.auth.pk, profile.avatar)})
