"""Merchant and resident pages: register a business, dashboard, offers, the counter, claims."""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from neighbourly.communities.selectors import community_get_for_member, community_list
from neighbourly.core.codes import code_format
from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.core.forms import form_add_application_error
from neighbourly.core.images import image_response
from neighbourly.core.ratelimit import client_ip
from neighbourly.merchants import selectors, services
from neighbourly.merchants.forms import BusinessEditForm, BusinessForm, OfferEditForm, OfferForm
from neighbourly.merchants.models import ServedStatus

# --- merchants -------------------------------------------------------------------------------


@login_required
def dashboard(request):
    businesses = selectors.business_list_for_owner(viewer=request.user)
    offers = [o for b in businesses for o in b.offers.all()]
    impressions = selectors.offer_impressions(offers=offers)
    for offer in offers:
        offer.impressions_total = impressions[offer.id]
    claims = selectors.claim_list_for_owner_offers(offer_ids=[o.id for o in offers])
    return render(request, "merchants/dashboard.html", {"businesses": businesses, "recent_claims": claims})


@login_required
def business_new(request):
    communities = list(community_list())
    form = BusinessForm(request.POST or None, communities=communities)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            business = services.business_create(
                ip=client_ip(request), user=request.user, name=d["name"], category=d["category"], address=d["address"],
                community_slugs=d["communities"], description=d["description"], opening_hours=d["opening_hours"],
                lon=d["lon"], lat=d["lat"], proof_method=d["proof"],
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, f"{business.name} is registered. Next: prove its address.")
            return redirect("merchants:business", business_id=business.id)
    return render(request, "merchants/business_new.html", {"form": form})


@login_required
def business_detail(request, business_id: int):
    business = selectors.business_get_for_viewer(viewer=request.user, business_id=business_id)
    offers = selectors.offer_list_for_business_page(viewer=request.user, business=business)
    ctx = {"business": business, "offers": offers,
           "approved": [s for s in business.served.all() if s.status == ServedStatus.APPROVED],
           "reachable_owners": selectors.business_reachable_owners(viewer=request.user, business=business),
           "my_ownership": selectors.business_my_ownership(viewer=request.user, business=business)
           if business.is_owner else None}
    if request.htmx and request.GET.get("part") == "recommend":
        return render(request, "merchants/business.html#recommend", ctx)
    return render(request, "merchants/business.html", ctx)


def _owned(request, business_id: int):
    return selectors.business_get_for_owner(viewer=request.user, business_id=business_id)


@login_required
@require_POST
def business_owner_reachable(request, business_id: int):
    """An owner's opt-in: be named on the business page, linking to their profile card."""
    business = _owned(request, business_id)
    reachable = request.POST.get("reachable") == "1"
    services.business_owner_reachable_set(business=business, user=request.user, reachable=reachable)
    messages.success(request, "Neighbours now see your name here and can message you." if reachable
                     else "Your name is no longer shown on this page.")
    return redirect("merchants:business", business_id=business_id)


@login_required
@require_POST
def business_code(request, business_id: int):
    business = _owned(request, business_id)
    try:
        services.business_code_enter(business=business, code=request.POST.get("code", ""))
        messages.success(request, "Address verified. A moderator of each community still approves the business there.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("merchants:business", business_id=business_id)


@login_required
@require_POST
def business_document(request, business_id: int):
    business = _owned(request, business_id)
    try:
        services.business_document_upload(business=business, upload=request.FILES.get("document"))
        messages.success(request, "Document uploaded: the moderators will look at it.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("merchants:business", business_id=business_id)


@login_required
@require_POST
def business_image(request, business_id: int):
    business = _owned(request, business_id)
    try:
        services.business_image_add(business=business, kind=request.POST.get("kind", "photo"),
                                    upload=request.FILES.get("image"))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("merchants:business", business_id=business_id)


@login_required
def offer_new(request, business_id: int):
    business = selectors.business_get_for_viewer(viewer=request.user, business_id=business_id)
    if not business.is_owner:
        raise Http404
    approved = [s.community for s in business.served.all() if s.status == ServedStatus.APPROVED]
    form = OfferForm(request.POST or None, request.FILES or None, communities=approved)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            offer = services.offer_publish(
                business=business, actor=request.user, title=d["title"], body=d["body"], starts_at=None,
                ends_at=d["ends_at"], community_slugs=d["communities"], max_claims=d["max_claims"],
                per_household=d["per_household"], image=d["image"],
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, f"“{offer.title}” is live.")
            return redirect("merchants:dashboard")
    return render(request, "merchants/offer_new.html", {"business": business, "form": form})


@login_required
def business_edit(request, business_id: int):
    business = _owned(request, business_id)
    initial = {f: getattr(business, f) for f in ("name", "category", "opening_hours", "description")}
    form = BusinessEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.business_update(actor=request.user, business_id=business.id, **form.cleaned_data)
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, "Your business details are saved.")
            return redirect("merchants:business", business_id=business.id)
    return render(request, "merchants/business_edit.html", {"business": business, "form": form})


@login_required
def offer_edit(request, offer_id: int):
    offer = selectors.offer_get_for_owner(viewer=request.user, offer_id=offer_id)
    initial = {f: getattr(offer, f) for f in ("title", "body", "max_claims", "per_household")}
    initial["ends_at"] = timezone.localtime(offer.ends_at)
    form = OfferEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_update(actor=request.user, offer_id=offer.id, **form.cleaned_data)
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, f"“{offer.title}” is saved.")
            return redirect("merchants:offer_edit", offer_id=offer.id)
    return render(request, "merchants/offer_edit.html", {"offer": offer, "form": form})


OFFER_STATUS_ACTIONS = {
    "pause": (services.offer_pause, "“{}” is paused: it is hidden from feeds until you resume it."),
    "resume": (services.offer_resume, "“{}” is live again."),
    "end": (services.offer_end, "“{}” has ended. Codes already claimed can still be redeemed."),
}


@login_required
@require_POST
def offer_status(request, offer_id: int):
    action = OFFER_STATUS_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, "Choose pause, resume or end.")
        return redirect("merchants:offer_edit", offer_id=offer_id)
    change, done = action
    try:
        offer = change(actor=request.user, offer_id=offer_id)
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done.format(offer.title))
    return redirect("merchants:offer_edit", offer_id=offer_id)


@login_required
def counter(request, business_id: int):
    business = _owned(request, business_id)
    ctx = {"business": business, "redeemed": None, "error": None, "code": ""}
    if request.method == "POST":
        ctx["code"] = request.POST.get("code", "")
        try:
            ctx["redeemed"] = services.offer_redeem(viewer=request.user, business_id=business_id, code=ctx["code"])
            ctx["code"] = ""
        except NotFound:
            raise
        except ApplicationError as exc:
            ctx["error"] = exc.message
    template = "merchants/counter.html#desk" if request.htmx else "merchants/counter.html"
    return render(request, template, ctx, status=200)


@login_required
@require_GET
def business_logo(request, business_id: int):
    business = selectors.business_get_for_viewer(viewer=request.user, business_id=business_id)
    if not business.logo:
        raise Http404
    return image_response(name=business.logo)


@login_required
@require_GET
def business_photo(request, business_id: int, photo_id: int):
    business = selectors.business_get_for_viewer(viewer=request.user, business_id=business_id)
    photo = next((p for p in business.photos.all() if p.id == photo_id), None)
    if photo is None:
        raise Http404
    return image_response(name=photo.file)


# --- residents -------------------------------------------------------------------------------


def _offer_ctx(request, offer_id: int) -> dict:
    offer = selectors.offer_get_for_viewer(viewer=request.user, offer_id=offer_id)
    return {"offer": offer, "code": code_format(offer.my_code) if offer.my_code else None}


@login_required
def offer_detail(request, offer_id: int):
    return render(request, "merchants/offer.html", _offer_ctx(request, offer_id))


def _after_offer_action(request, offer_id: int, error: str | None = None):
    if error:
        messages.error(request, error)
    if request.htmx:
        ctx = _offer_ctx(request, offer_id)
        ctx["action_error"] = error
        return render(request, "merchants/offer.html#offer-actions", ctx)
    return redirect("merchants:offer", offer_id=offer_id)


@login_required
@require_POST
def offer_save_toggle(request, offer_id: int):
    error = None
    try:
        if request.POST.get("saved") == "1":
            services.offer_unsave(viewer=request.user, offer_id=offer_id)
        else:
            services.offer_save(viewer=request.user, offer_id=offer_id)
    except NotFound:
        raise
    except ApplicationError as exc:
        error = exc.message
    return _after_offer_action(request, offer_id, error)


@login_required
@require_POST
def offer_claim(request, offer_id: int):
    error = None
    try:
        services.offer_claim(ip=client_ip(request), viewer=request.user, offer_id=offer_id)
    except NotFound:
        raise
    except ApplicationError as exc:
        error = exc.message
    return _after_offer_action(request, offer_id, error)


@login_required
@require_GET
def offer_qr(request, offer_id: int):
    """The claimant's own code as a QR image; nobody else's (404)."""
    code = selectors.claim_code_for_viewer(viewer=request.user, offer_id=offer_id)
    if code is None:
        raise Http404
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=8, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def offer_image(request, offer_id: int):
    offer = selectors.offer_get_for_viewer(viewer=request.user, offer_id=offer_id)
    if not offer.image:
        raise Http404
    return image_response(name=offer.image)


@login_required
def recommend(request, business_id: int):
    if request.method != "POST":
        return redirect("merchants:business", business_id=business_id)
    try:
        if request.POST.get("recommended") == "1":
            services.recommendation_withdraw(viewer=request.user, business_id=business_id)
        else:
            services.recommendation_add(viewer=request.user, business_id=business_id)
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    if request.htmx:
        business = selectors.business_get_for_viewer(viewer=request.user, business_id=business_id)
        return render(request, "merchants/business.html#recommend", {"business": business})
    return redirect("merchants:business", business_id=business_id)


@login_required
@require_GET
def side_panel(request, slug: str):
    """The community page's side panel (loaded by htmx): local businesses and their recommendations."""
    community, _ = community_get_for_member(user=request.user, slug=slug)
    businesses, more = selectors.business_list_for_community(viewer=request.user, community=community, limit=8)
    return render(request, "merchants/panel.html", {"community": community, "businesses": businesses, "more": more})


@login_required
@require_GET
def community_businesses(request, slug: str):
    community, _ = community_get_for_member(user=request.user, slug=slug)
    businesses, next_cursor = selectors.business_list_for_community(
        viewer=request.user, community=community, cursor=request.GET.get("cursor")
    )
    return render(request, "merchants/directory.html",
                  {"community": community, "businesses": businesses, "next_cursor": next_cursor})


@login_required
@require_GET
def my_claims(request):
    return render(request, "merchants/my_claims.html", {"claims": selectors.claim_list_for_resident(viewer=request.user)})
