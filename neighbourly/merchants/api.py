"""Merchants API: businesses, their proof and approval, offers, the counter, recommendations."""

from typing import Annotated

import pydantic
from ninja import File, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.params.models import BodyModel, FormModel
from ninja.params.models import Form as FormParam

from neighbourly.communities.selectors import community_get_for_member, community_get_for_moderator
from neighbourly.core.ratelimit import client_ip
from neighbourly.merchants import schemas, selectors, services
from neighbourly.merchants.feed_source import LABEL
from neighbourly.merchants.models import Business, Offer

router = Router(tags=["merchants"])


class _JsonOrFormModel(FormModel):
    """Form fields from a multipart/urlencoded request; otherwise a JSON body, read and reported
    (422 locations under "body") exactly as ninja's own body parameter would."""

    @classmethod
    def resolve(cls, request, api, path_params):
        if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            return super().resolve(request, api, path_params)
        data = BodyModel.get_request_data.__func__(cls, request, api, path_params)  # 400 if not JSON
        name = next(iter(cls.model_fields))
        try:
            return cls.model_validate({} if data is None else {name: data}, context={"request": request})
        except pydantic.ValidationError as exc:
            errors = []
            for error in exc.errors(include_url=False):
                error.pop("input", None)
                if isinstance(error.get("ctx", {}).get("error"), Exception):
                    error["ctx"]["error"] = str(error["ctx"]["error"])
                errors.append({**error, "loc": ("body", *error["loc"])})
            raise NinjaValidationError(errors) from None


class JsonOrForm(FormParam):
    """`payload: Schema = JsonOrForm(...)`: one endpoint that takes a JSON body, or the same fields as
    form data next to a File param (ninja alone reads a body param from one or the other)."""

    _model = _JsonOrFormModel

    @classmethod
    def _param_source(cls) -> str:
        return "form"


class MerchantsCursorQuery(Schema):
    cursor: str | None = None


class ImageQuery(Schema):
    kind: str = "photo"


def business_to_dict(business: Business) -> dict:
    owner_or_mod = business.is_owner or business.is_moderator
    return {
        "id": business.id,
        "name": business.name,
        "category": business.category,
        "address": business.address,
        "lon": business.lon,
        "lat": business.lat,
        "opening_hours": business.opening_hours,
        "description": business.description,
        "verified": business.is_verified,
        "logo_url": f"/businesses/{business.id}/logo/" if business.logo else None,
        "photo_urls": [f"/businesses/{business.id}/photos/{p.id}/" for p in business.photos.all()],
        "recommendations": business.recommendation_count,
        "recommended_by_me": business.recommended_by_me,
        "is_owner": business.is_owner,
        "communities": [
            {
                "community": s.community.slug,
                "name": s.community.name,
                "status": s.status,
                "reason": s.reason if owner_or_mod else "",
                "distance_m": s.distance_m if owner_or_mod else None,
            }
            for s in business.served.all()
            if owner_or_mod or s.status == "approved"
        ],
    }


def offer_to_dict(offer: Offer) -> dict:
    return {
        "id": offer.id,
        "label": LABEL,
        "title": offer.title,
        "body": offer.body,
        "business": {"id": offer.business_id, "name": offer.business.name, "verified": offer.business.is_verified},
        "starts_at": offer.starts_at,
        "ends_at": offer.ends_at,
        "remaining": offer.remaining,
        "live": offer.is_live,
        "image_url": f"/offers/{offer.id}/image/" if offer.image else None,
        "saved": offer.saved_by_me,
        "claimed": offer.my_code is not None,
        "communities": [c.slug for c in offer.communities.all()] if offer.is_owner else None,
        "status": offer.status if offer.is_owner else None,
    }


def claim_to_dict(claim) -> dict:
    from neighbourly.core.codes import code_format

    return {
        "offer_id": claim.offer_id,
        "code": code_format(claim.code),
        "qr_url": f"/offers/{claim.offer_id}/qr.png",
        "claimed_at": claim.created_at,
        "redeemed_at": claim.redeemed_at,
    }


def _business_out(request, business_id: int) -> dict:
    return business_to_dict(selectors.business_get_for_viewer(viewer=request.auth, business_id=business_id))


# --- businesses ------------------------------------------------------------------------------


@router.post("/businesses", response={201: schemas.BusinessOut})
def create_business(request, payload: schemas.BusinessIn):
    business = services.business_create(
        ip=client_ip(request), user=request.auth, name=payload.name, category=payload.category.value, address=payload.address,
        community_slugs=payload.communities, description=payload.description,
        opening_hours=payload.opening_hours, lon=payload.lon, lat=payload.lat, proof_method=payload.proof.value,
    )
    return Status(201, _business_out(request, business.id))


@router.get("/businesses/{business_id}", response=schemas.BusinessOut)
def get_business(request, business_id: int):
    return _business_out(request, business_id)


@router.patch("/businesses/{business_id}", response=schemas.BusinessOut)
def edit_business(request, business_id: int, payload: schemas.BusinessPatchIn):
    services.business_update(actor=request.auth, business_id=business_id, **payload.dict(exclude_unset=True))
    return _business_out(request, business_id)


@router.get("/communities/{slug}/businesses", response=schemas.BusinessPage)
def list_community_businesses(request, slug: str, query: Query[MerchantsCursorQuery]):
    community, _ = community_get_for_member(user=request.auth, slug=slug)
    rows, next_cursor = selectors.business_list_for_community(
        viewer=request.auth, community=community, cursor=query.cursor
    )
    items = [
        {"id": b.id, "name": b.name, "category": b.category, "verified": b.is_verified,
         "recommendations": b.recommendation_count, "recommended_by_me": b.recommended_by_me}
        for b in rows
    ]
    return {"items": items, "next_cursor": next_cursor}


@router.post("/businesses/{business_id}/images", response={201: schemas.BusinessOut})
def add_business_image(request, business_id: int, query: Query[ImageQuery], file: File[UploadedFile]):
    business = selectors.business_get_for_owner(viewer=request.auth, business_id=business_id)
    services.business_image_add(business=business, kind=query.kind, upload=file)
    return Status(201, _business_out(request, business_id))


@router.post("/businesses/{business_id}/document", response=schemas.BusinessOut)
def upload_business_document(request, business_id: int, file: File[UploadedFile]):
    business = selectors.business_get_for_owner(viewer=request.auth, business_id=business_id)
    services.business_document_upload(business=business, upload=file)
    return _business_out(request, business_id)


@router.post("/businesses/{business_id}/code", response=schemas.BusinessOut)
def enter_business_code(request, business_id: int, payload: schemas.BusinessCodeIn):
    business = selectors.business_get_for_owner(viewer=request.auth, business_id=business_id)
    services.business_code_enter(business=business, code=payload.code)
    return _business_out(request, business_id)


# --- moderators ------------------------------------------------------------------------------


@router.get("/communities/{slug}/moderation/businesses", response=schemas.PendingPage)
def list_pending_businesses(request, slug: str):
    community, _ = community_get_for_moderator(user=request.auth, slug=slug)
    rows = selectors.business_queue_for_moderator(community=community)
    return {"items": [
        {"id": s.business.id, "name": s.business.name, "category": s.business.category,
         "address": s.business.address, "distance_m": s.distance_m, "proof": s.business.proof_method,
         "address_verified": s.business.is_verified, "document": bool(s.business.document),
         "postcard_issued": s.has_live_postcard, "created_at": s.created_at}
        for s in rows
    ]}


@router.post("/businesses/{business_id}/postcard", response={201: schemas.PostcardOut})
def issue_business_postcard(request, business_id: int):
    served = selectors.served_get_for_moderator(viewer=request.auth, business_id=business_id, require_single=False)
    code, expires_at = services.business_postcard_issue(moderator=request.auth, business=served.business)
    return Status(201, {"code": code, "expires_at": expires_at, "business": served.business.name,
                        "address": served.business.address})


@router.post("/businesses/{business_id}/decision", response=schemas.BusinessDecisionOut)
def decide_business(request, business_id: int, payload: schemas.BusinessDecisionIn):
    served = selectors.served_get_for_moderator(viewer=request.auth, business_id=business_id, slug=payload.community)
    served = services.business_decide(moderator=request.auth, served=served, approve=payload.approve,
                                      reason=payload.reason)
    return {"business_id": business_id, "community": served.community.slug, "status": served.status,
            "reason": served.reason, "verified": served.business.is_verified}


# --- recommendations -------------------------------------------------------------------------


@router.post("/businesses/{business_id}/recommendation", response=schemas.BusinessOut)
def recommend_business(request, business_id: int):
    services.recommendation_add(viewer=request.auth, business_id=business_id)
    return _business_out(request, business_id)


@router.delete("/businesses/{business_id}/recommendation", response=schemas.BusinessOut)
def withdraw_recommendation(request, business_id: int):
    services.recommendation_withdraw(viewer=request.auth, business_id=business_id)
    return _business_out(request, business_id)


# --- offers ----------------------------------------------------------------------------------


def _offer_out(request, offer_id: int) -> dict:
    offer = selectors.offer_get_for_viewer(viewer=request.auth, offer_id=offer_id)
    return offer_to_dict(offer)


@router.post("/businesses/{business_id}/offers", response={201: schemas.OfferOut}, openapi_extra={
    "requestBody": {"content": {"application/json": {"schema": schemas.OfferIn.model_json_schema()}}}})
def publish_offer(request, business_id: int, payload: Annotated[schemas.OfferIn, JsonOrForm(...)],
                  image: File[UploadedFile | None] = None):
    """JSON as before, or multipart/form-data with the same fields and an optional `image` file:
    the offer is published together with its picture or not at all (a bad file: 4xx, no offer)."""
    business = selectors.business_get_for_owner(viewer=request.auth, business_id=business_id)
    offer = services.offer_publish(
        business=business, actor=request.auth, title=payload.title, body=payload.body,
        starts_at=payload.starts_at, ends_at=payload.ends_at, community_slugs=payload.communities,
        max_claims=payload.max_claims, per_household=payload.per_household, image=image,
    )
    return Status(201, _offer_out(request, offer.id))


@router.get("/offers/{offer_id}", response=schemas.OfferOut)
def get_offer(request, offer_id: int):
    return _offer_out(request, offer_id)


@router.patch("/offers/{offer_id}", response=schemas.OfferOut)
def edit_offer(request, offer_id: int, payload: schemas.OfferPatchIn):
    services.offer_update(actor=request.auth, offer_id=offer_id, **payload.dict(exclude_unset=True))
    return _offer_out(request, offer_id)


@router.post("/offers/{offer_id}/pause", response=schemas.OfferOut)
def pause_offer(request, offer_id: int):
    services.offer_pause(actor=request.auth, offer_id=offer_id)
    return _offer_out(request, offer_id)


@router.post("/offers/{offer_id}/resume", response=schemas.OfferOut)
def resume_offer(request, offer_id: int):
    services.offer_resume(actor=request.auth, offer_id=offer_id)
    return _offer_out(request, offer_id)


@router.post("/offers/{offer_id}/end", response=schemas.OfferOut)
def end_offer(request, offer_id: int):
    services.offer_end(actor=request.auth, offer_id=offer_id)
    return _offer_out(request, offer_id)


@router.post("/offers/{offer_id}/image", response={201: schemas.OfferOut})
def set_offer_image(request, offer_id: int, file: File[UploadedFile]):
    offer = selectors.offer_get_for_owner(viewer=request.auth, offer_id=offer_id)
    services.offer_image_set(offer=offer, upload=file)
    return Status(201, _offer_out(request, offer_id))


@router.post("/offers/{offer_id}/save", response=schemas.OfferOut)
def save_offer(request, offer_id: int):
    services.offer_save(viewer=request.auth, offer_id=offer_id)
    return _offer_out(request, offer_id)


@router.delete("/offers/{offer_id}/save", response=schemas.OfferOut)
def unsave_offer(request, offer_id: int):
    services.offer_unsave(viewer=request.auth, offer_id=offer_id)
    return _offer_out(request, offer_id)


@router.post("/offers/{offer_id}/claim", response={200: schemas.OfferClaimOut, 201: schemas.OfferClaimOut})
def claim_offer(request, offer_id: int):
    claim, created = services.offer_claim(ip=client_ip(request), viewer=request.auth, offer_id=offer_id)
    return Status(201 if created else 200, claim_to_dict(claim))


@router.post("/businesses/{business_id}/redemptions", response={201: schemas.RedemptionOut})
def redeem_code(request, business_id: int, payload: schemas.RedemptionIn):
    claim = services.offer_redeem(viewer=request.auth, business_id=business_id, code=payload.code)
    return Status(201, {"claim_id": claim.id, "offer_id": claim.offer_id, "offer_title": claim.offer.title,
                        "claimant": claim.user.profile.display_name, "redeemed_at": claim.redeemed_at})


@router.get("/offers/{offer_id}/stats", response=schemas.StatsOut)
def offer_stats(request, offer_id: int):
    offer = selectors.offer_get_for_owner(viewer=request.auth, offer_id=offer_id)
    return offer_stats_dict(offer)


def offer_stats_dict(offer: Offer) -> dict:
    return {
        "offer_id": offer.id,
        "impressions": selectors.offer_impressions(offers=[offer])[offer.id],
        "saves": offer.saves_count,
        "claims": offer.claims_count,
        "redemptions": offer.redemptions_count,
        "max_claims": offer.max_claims,
        "status": offer.status,
    }
