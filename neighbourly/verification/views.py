"""Member pages: choose a method, follow its steps, see the claim's status; the vouch link page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from neighbourly.core.documents import CONTENT_TYPES
from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.core.ratelimit import client_ip
from neighbourly.verification import selectors, services
from neighbourly.verification.methods import method_get, methods_enabled
from neighbourly.verification.models import Method


def pending_community(request, *, community, membership):
    """The "verify to join" page of a pending member (handed over from communities.views)."""
    claim = selectors.claim_open_for_membership(user=request.user, community=community)
    context = {
        "community": community,
        "membership": membership,
        "claim": claim,
        "last_closed": None
        if claim
        else selectors.claim_latest_closed(user=request.user, community=community),
        "methods": methods_enabled(community),
        "current_method": method_get(claim.method) if claim else None,
        "vouch_link": request.build_absolute_uri(reverse("verification:vouch", args=[claim.vouch_token]))
        if claim
        else "",
        "vouch_count": claim.vouches.count() if claim and claim.method == Method.VOUCH else 0,
        "code_locked": bool(claim and claim.code_locked(timezone.now())),
    }
    return render(request, "communities/pending.html", context)


def _back(claim_or_slug):
    slug = claim_or_slug if isinstance(claim_or_slug, str) else claim_or_slug.community.slug
    return redirect("site:community", slug=slug)


def _run(request, action, *, success: str, fallback_slug: str):
    try:
        action()
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if success:
            messages.success(request, success)
    return redirect("site:community", slug=fallback_slug)


@login_required
@require_POST
def start_claim(request, slug: str):
    from neighbourly.communities.selectors import community_get_by_slug, membership_get

    community = community_get_by_slug(slug=slug)
    membership = membership_get(user=request.user, community=community)
    if membership is None or membership.address is None:
        raise Http404
    method = request.POST.get("method", "")
    return _run(
        request,
        lambda: services.claim_create(user=request.user, method=method, address=membership.address, ip=client_ip(request)),
        success="",
        fallback_slug=slug,
    )


@login_required
@require_POST
def change_method(request, claim_id: int):
    claim = selectors.claim_get_for_owner(user=request.user, claim_id=claim_id)
    method = request.POST.get("method", "")
    return _run(
        request,
        lambda: services.claim_change_method(user=request.user, claim_id=claim.pk, method=method),
        success="",
        fallback_slug=claim.community.slug,
    )


@login_required
@require_POST
def enter_code(request, claim_id: int):
    claim = selectors.claim_get_for_owner(user=request.user, claim_id=claim_id)
    code = request.POST.get("code", "")[:40]
    return _run(
        request,
        lambda: services.claim_submit_evidence(
            user=request.user, claim_id=claim.pk, method=Method.POSTCARD, code=code
        ),
        success="Code accepted.",
        fallback_slug=claim.community.slug,
    )


@login_required
@require_POST
def upload_document(request, claim_id: int):
    claim = selectors.claim_get_for_owner(user=request.user, claim_id=claim_id)
    upload = request.FILES.get("document")
    return _run(
        request,
        lambda: services.claim_submit_evidence(
            user=request.user, claim_id=claim.pk, method=Method.DOCUMENT, upload=upload
        ),
        success="Thank you: your document is with the moderators.",
        fallback_slug=claim.community.slug,
    )


@login_required
@require_POST
def share_location(request, claim_id: int):
    claim = selectors.claim_get_for_owner(user=request.user, claim_id=claim_id)
    data = {k: request.POST.get(k) for k in ("lat", "lon", "accuracy_m")}
    return _run(
        request,
        lambda: services.claim_submit_evidence(
            user=request.user, claim_id=claim.pk, method=Method.GEOLOCATION, **data
        ),
        success="Location received.",
        fallback_slug=claim.community.slug,
    )


@login_required
@require_POST
def withdraw_claim(request, claim_id: int):
    claim = selectors.claim_get_for_owner(user=request.user, claim_id=claim_id)
    return _run(
        request,
        lambda: services.claim_withdraw(user=request.user, claim_id=claim.pk),
        success="Claim withdrawn.",
        fallback_slug=claim.community.slug,
    )


@login_required
@require_POST
def revoke_own(request, claim_id: int):
    """ "I moved away": the member ends their own verification and may claim a new address."""
    claim = selectors.claim_get_for_owner(user=request.user, claim_id=claim_id)
    try:
        services.claim_revoke(actor=request.user, claim_id=claim.pk, reason="moved away")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"Your verification in {claim.community.name} has ended. Welcome to your new home!"
        )
    return redirect("verification:my_claims")


@login_required
def typed_claim(request):
    """Where a community has no register: type the address; the moderators review it."""
    from neighbourly.communities.selectors import community_get_by_slug

    communities = selectors.community_list_without_register()
    if request.method == "POST":
        try:
            community = community_get_by_slug(slug=request.POST.get("community", ""))
            services.claim_create(
                ip=client_ip(request), user=request.user,
                method=request.POST.get("method", Method.DOCUMENT),
                community=community,
                typed_address=request.POST.get("address", "")[:200],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("site:community", slug=community.slug)
    return render(request, "verification/typed_claim.html", {"communities": communities})


@login_required
def my_claims(request):
    claims, _ = selectors.claim_page(
        selectors.claim_list_for_user(user=request.user), cursor=None, descending=True
    )
    return render(request, "verification/my_claims.html", {"claims": claims})


@login_required
def vouch(request, token: str):
    claim = selectors.claim_get_for_voucher(user=request.user, token=token)
    done = False
    if request.method == "POST":
        try:
            services.claim_submit_evidence(
                user=request.user, claim_id=claim.pk, method=Method.VOUCH, vouch_token=token
            )
        except NotFound:
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            done = True
    context = {
        "claim": claim,
        "display_name": claim.user.profile.display_name,
        "street": claim.street,
        "done": done,
        "is_self": claim.user_id == request.user.pk,
    }
    return render(request, "verification/vouch.html", context)


@login_required
def document(request, claim_id: int):
    """The claim's document, for that community's moderators only, never cached."""
    claim, _ = selectors.claim_get_for_moderator(user=request.user, claim_id=claim_id)
    if not claim.document:
        raise Http404
    response = FileResponse(
        claim.document.open("rb"),
        content_type=CONTENT_TYPES.get(claim.document_kind, "application/octet-stream"),
    )
    response["Content-Disposition"] = f'inline; filename="claim-{claim.pk}.{claim.document_kind}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response
