from django.middleware.csrf import get_token
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.utils import check_csrf

from neighbourly.accounts import privacy, schemas, services
from neighbourly.accounts.avatars import avatar_url, profile_avatar_set
from neighbourly.accounts.selectors import me_parts, user_get_with_profile
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
        **{key: part(user=user) for key, part in me_parts.items()},
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


def block_out(block) -> dict:
    return {"user_id": block.blocked_id, "display_name": block.blocked.profile.display_name,
            "created_at": block.created_at}


@router.delete("/me/blocks/{user_id}", response={204: None})
def delete_block(request, user_id: int):
    services.block_delete(blocker=request.auth, blocked_id=user_id)
    return Status(204, None)


@router.post("/me/avatar", response={201: schemas.AvatarOut})
def set_avatar(request, file: File[UploadedFile]):
    profile = profile_avatar_set(user=request.auth, upload=file)
    return Status(201, {"avatar_url": avatar_url(request.auth.pk, profile.avatar)})
