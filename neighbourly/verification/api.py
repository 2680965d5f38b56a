"""Verification API: claims, evidence, decisions, and the moderators' desk."""

from django.urls import reverse
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from neighbourly.communities.selectors import address_get, community_get_by_slug, community_get_for_moderator
from neighbourly.core.ratelimit import client_ip
from neighbourly.verification import postcards, registers, schemas, selectors, services
from neighbourly.verification.models import Method

router = Router(tags=["verification"])


class VerificationCursorQuery(Schema):
    cursor: str | None = None


def claim_out(claim) -> dict:
    return {
        "id": claim.pk,
        "community": claim.community,
        "address": claim.address_label,
        "method": claim.method,
        "status": claim.status,
        "review_reason": claim.review_reason,
        "decision_reason": claim.decision_reason,
        "created_at": claim.created_at,
        "decided_at": claim.decided_at,
        "vouch_url": reverse("verification:vouch", args=[claim.vouch_token])
        if claim.method == Method.VOUCH and claim.is_open
        else None,
        "locked_until": claim.code_locked_until,
    }


@router.post("/verification/claims", response={201: schemas.ClaimOut})
def create_claim(request, payload: schemas.ClaimIn):
    if payload.address_id is not None:
        claim = services.claim_create(
            ip=client_ip(request), user=request.auth, method=payload.method, address=address_get(address_id=payload.address_id)
        )
    else:
        community = community_get_by_slug(slug=payload.community or "")
        claim = services.claim_create(
            ip=client_ip(request), user=request.auth,
            method=payload.method,
            community=community,
            typed_address=payload.address_text or "",
        )
    claim.refresh_from_db()
    return Status(201, claim_out(claim))


@router.get("/verification/claims", response=schemas.ClaimPage)
def list_claims(request, filters: Query[VerificationCursorQuery]):
    items, next_cursor = selectors.claim_page(
        selectors.claim_list_for_user(user=request.auth), cursor=filters.cursor, descending=True
    )
    return {"items": [claim_out(c) for c in items], "next_cursor": next_cursor}


@router.get("/verification/claims/{claim_id}", response=schemas.ClaimOut)
def get_claim(request, claim_id: int):
    return claim_out(selectors.claim_get_for_owner(user=request.auth, claim_id=claim_id))


@router.post("/verification/claims/{claim_id}/method", response=schemas.ClaimOut)
def change_claim_method(request, claim_id: int, payload: schemas.MethodIn):
    services.claim_change_method(user=request.auth, claim_id=claim_id, method=payload.method)
    return claim_out(selectors.claim_get_for_owner(user=request.auth, claim_id=claim_id))


@router.post("/verification/claims/{claim_id}/code", response=schemas.ClaimOut)
def enter_code(request, claim_id: int, payload: schemas.CodeIn):
    return claim_out(
        services.claim_submit_evidence(
            user=request.auth, claim_id=claim_id, method=Method.POSTCARD, code=payload.code
        )
    )


@router.post("/verification/claims/{claim_id}/document", response=schemas.ClaimOut)
def upload_document(request, claim_id: int, file: File[UploadedFile]):
    return claim_out(
        services.claim_submit_evidence(
            user=request.auth, claim_id=claim_id, method=Method.DOCUMENT, upload=file
        )
    )


@router.post("/verification/claims/{claim_id}/geolocation", response=schemas.ClaimOut)
def share_location(request, claim_id: int, payload: schemas.GeolocationIn):
    return claim_out(
        services.claim_submit_evidence(
            user=request.auth,
            claim_id=claim_id,
            method=Method.GEOLOCATION,
            lat=payload.lat,
            lon=payload.lon,
            accuracy_m=payload.accuracy_m,
        )
    )


@router.post("/verification/claims/{claim_id}/vouch", response={204: None})
def vouch_for_claim(request, claim_id: int, payload: schemas.VouchIn):
    services.claim_submit_evidence(
        user=request.auth, claim_id=claim_id, method=Method.VOUCH, vouch_token=payload.token
    )
    return Status(204, None)


@router.get("/verification/vouch/{token}", response=schemas.VouchTargetOut)
def get_vouch_target(request, token: str):
    claim = selectors.claim_get_for_voucher(user=request.auth, token=token)
    return {
        "claim_id": claim.pk,
        "display_name": claim.user.profile.display_name,
        "street": claim.street,
        "community": claim.community,
    }


@router.post("/verification/claims/{claim_id}/withdraw", response=schemas.ClaimOut)
def withdraw_claim(request, claim_id: int):
    return claim_out(services.claim_withdraw(user=request.auth, claim_id=claim_id))


@router.post("/verification/claims/{claim_id}/revoke", response=schemas.ClaimOut)
def revoke_claim(request, claim_id: int, payload: schemas.RevokeIn):
    return claim_out(services.claim_revoke(actor=request.auth, claim_id=claim_id, reason=payload.reason))


@router.post("/verification/claims/{claim_id}/decision", response=schemas.ClaimOut)
def decide_claim(request, claim_id: int, payload: schemas.DecisionIn):
    return claim_out(
        services.claim_decide(
            moderator=request.auth, claim_id=claim_id, approve=payload.approve, reason=payload.reason
        )
    )


def queue_item(claim, evidence) -> dict:
    return {
        "id": claim.pk,
        "claimant": {
            "id": claim.user_id,
            "display_name": claim.user.profile.display_name,
            "email": claim.user.email,
        },
        "address": claim.address_label,
        "typed_address": claim.typed_address,
        "method": claim.method,
        "status": claim.status,
        "review_reason": claim.review_reason,
        "created_at": claim.created_at,
        "evidence": evidence,
        "document_url": reverse("verification:document", args=[claim.pk]) if claim.document else None,
    }


@router.get("/communities/{slug}/moderation/claims", response=schemas.QueuePage)
def list_claim_queue(request, slug: str, filters: Query[VerificationCursorQuery]):
    community, _ = community_get_for_moderator(user=request.auth, slug=slug)
    items, next_cursor = selectors.claim_page(
        selectors.claim_queue_for_moderator(community=community), cursor=filters.cursor, descending=False
    )
    selectors.claim_queue_mark_register(items, community=community)
    return {"items": [queue_item(c, selectors.claim_evidence(c)) for c in items], "next_cursor": next_cursor}


@router.post("/communities/{slug}/moderation/postcards", response={201: schemas.PostcardBatchOut})
def create_postcard_batch(request, slug: str, payload: schemas.PostcardBatchIn | None = None):
    community, _ = community_get_for_moderator(user=request.auth, slug=slug)
    batch, cards = postcards.postcard_batch_create(
        moderator=request.auth, community=community, claim_ids=payload.claim_ids if payload else None
    )
    return Status(201, {"batch_id": batch.pk, "cards": [c.__dict__ for c in cards]})


@router.post("/communities/{slug}/moderation/postcards/{batch_id}/sent", response=schemas.BatchOut)
def mark_postcard_batch_sent(request, slug: str, batch_id: int):
    community, _ = community_get_for_moderator(user=request.auth, slug=slug)
    return postcards.postcard_batch_mark_sent(moderator=request.auth, community=community, batch_id=batch_id)


@router.post("/communities/{slug}/moderation/register", response={201: schemas.RegisterUploadOut})
def upload_register(request, slug: str, file: File[UploadedFile]):
    community = selectors.community_get_for_register_uploader(user=request.auth, slug=slug)
    data = file.read(registers.MAX_REGISTER_BYTES + 1)
    upload = registers.register_upload_create(
        uploader=request.auth, community=community, data=data, filename=file.name or ""
    )
    return Status(201, upload)


@router.get("/communities/{slug}/moderation/verification-log", response=schemas.DecisionPage)
def list_claim_decisions(request, slug: str, filters: Query[VerificationCursorQuery]):
    community, _ = community_get_for_moderator(user=request.auth, slug=slug)
    items, next_cursor = selectors.claim_page(
        selectors.decision_list_for_moderator(community=community), cursor=filters.cursor, descending=True
    )
    return {
        "items": [
            {
                "id": d.pk,
                "claim_id": d.claim_id,
                "claimant": d.claim.user.profile.display_name,
                "actor": d.actor.profile.display_name if d.actor_id else None,
                "method": d.method,
                "outcome": d.outcome,
                "evidence": d.evidence,
                "reason": d.reason,
                "created_at": d.created_at,
            }
            for d in items
        ],
        "next_cursor": next_cursor,
    }
