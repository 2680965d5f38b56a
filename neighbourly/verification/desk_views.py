"""The moderators' desk: claim queue, decisions, postcard batches, register uploads, audit log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from neighbourly.communities.selectors import community_get_for_moderator
from neighbourly.core.codes import CODE_LIFETIME
from neighbourly.core.csv_export import csv_writer
from neighbourly.core.errors import ApplicationError, NotFound
from neighbourly.verification import postcards, registers, selectors, services
from neighbourly.verification.models import ClaimStatus, Method


def _moderated(request, slug: str):
    community, _ = community_get_for_moderator(user=request.user, slug=slug)
    return community


@login_required
def claim_queue(request, slug: str):
    community = _moderated(request, slug)
    claims, next_cursor = selectors.claim_page(
        selectors.claim_queue_for_moderator(community=community),
        cursor=request.GET.get("cursor"),
        descending=False,
    )
    selectors.claim_queue_mark_register(claims, community=community)
    rows = [{"claim": c, "evidence": selectors.claim_evidence(c)} for c in claims]
    return render(
        request,
        "verification/desk_queue.html",
        {"community": community, "rows": rows, "next_cursor": next_cursor},
    )


@login_required
@require_POST
def decide(request, claim_id: int):
    claim, community = selectors.claim_get_for_moderator(user=request.user, claim_id=claim_id)
    approve = request.POST.get("approve") == "1"
    try:
        services.claim_decide(
            moderator=request.user,
            claim_id=claim.pk,
            approve=approve,
            reason=request.POST.get("reason", "")[:500],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        who = claim.user.profile.display_name
        messages.success(request, f"{who} is now verified." if approve else f"Claim of {who} rejected.")
    return redirect("verification:desk_queue", slug=community.slug)


@login_required
def postcard_desk(request, slug: str):
    community = _moderated(request, slug)
    waiting = selectors.claim_queue_for_moderator(community=community).filter(
        method=Method.POSTCARD, status=ClaimStatus.PENDING
    )
    waiting = [c for c in waiting if not c.live_postcards]
    return render(
        request,
        "verification/desk_postcards.html",
        {
            "community": community,
            "waiting": waiting,
            "batches": selectors.postcard_batch_list(community=community)[:20],
        },
    )


def _cards_response(request, community, batch, cards, fmt: str):
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="postcards-{community.slug}-{batch.pk}.csv"'
        response["Cache-Control"] = "private, no-store"
        writer = csv_writer(response)  # cells neutralised: no display name becomes a formula
        writer.writerow(["name", "address_line_1", "address_line_2", "address_line_3", "code", "expires"])
        for card in cards:
            lines = (card.street_lines + ["", "", ""])[:3]
            writer.writerow([card.name, *lines, card.code, card.expires_at.date().isoformat()])
        return response
    response = render(
        request,
        "verification/postcards_print.html",
        {
            "community": community,
            "batch": batch,
            "cards": cards,
            "lifetime_days": CODE_LIFETIME.days,
            "site": request.get_host(),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def postcard_generate(request, slug: str):
    community = _moderated(request, slug)
    try:
        batch, cards = postcards.postcard_batch_create(moderator=request.user, community=community)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("verification:desk_postcards", slug=slug)
    return _cards_response(request, community, batch, cards, request.POST.get("format", "html"))


@login_required
@require_POST
def postcard_reissue(request, slug: str, batch_id: int):
    community = _moderated(request, slug)
    try:
        batch, cards = postcards.postcard_batch_reissue(
            moderator=request.user, community=community, batch_id=batch_id
        )
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("verification:desk_postcards", slug=slug)
    return _cards_response(request, community, batch, cards, request.POST.get("format", "html"))


@login_required
@require_POST
def postcard_sent(request, slug: str, batch_id: int):
    community = _moderated(request, slug)
    postcards.postcard_batch_mark_sent(moderator=request.user, community=community, batch_id=batch_id)
    messages.success(request, f"Batch {batch_id} marked as sent on {timezone.localdate():%d %b %Y}.")
    return redirect("verification:desk_postcards", slug=slug)


@login_required
def register_desk(request, slug: str):
    community = selectors.community_get_for_register_uploader(user=request.user, slug=slug)
    if request.method == "POST":
        upload = request.FILES.get("register")
        if upload is None:
            messages.error(request, "Choose a CSV file to upload.")
        else:
            try:
                result = registers.register_upload_create(
                    uploader=request.user,
                    community=community,
                    data=upload.read(registers.MAX_REGISTER_BYTES + 1),
                    filename=upload.name,
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    f"Register uploaded: {result.rows} residents, {result.skipped} rows "
                    f"skipped, {result.matched} waiting claims verified.",
                )
        return redirect("verification:desk_register", slug=slug)
    return render(
        request,
        "verification/desk_register.html",
        {
            "community": community,
            "latest": selectors.register_upload_latest(community=community),
            "columns": registers.COLUMNS,
        },
    )


@login_required
def decision_log(request, slug: str):
    community = _moderated(request, slug)
    decisions, next_cursor = selectors.claim_page(
        selectors.decision_list_for_moderator(community=community),
        cursor=request.GET.get("cursor"),
        descending=True,
    )
    return render(
        request,
        "verification/desk_log.html",
        {"community": community, "decisions": decisions, "next_cursor": next_cursor},
    )
