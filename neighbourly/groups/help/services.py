"""Writes for the help exchange: listings, accepting a match (which opens one chat room for the
pair), the hours ledger (counted once both confirm the same figure), the thanks opt-in, and a
moderator acting for an offline member (every such action logged with a reason)."""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from neighbourly.communities.models import Membership, MembershipStatus, Role
from neighbourly.communities.selectors import membership_require_verified
from neighbourly.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.groups.models import (
    HELP_DESCRIPTION_MAX,
    HOURS_MAX,
    REASON_MAX,
    Availability,
    HelpCategory,
    HelpKind,
    HelpListing,
    HelpMatch,
    HelpStatus,
    HelpThanksOptIn,
    HoursEntry,
    HoursStatus,
    ProxyAction,
    ProxyActionKind,
)
from neighbourly.notifications.models import Kind
from neighbourly.notifications.services import notification_send
from neighbourly.realtime.services import conversation_create_room

REASON_MIN = 5


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ApplicationError("Say why you are acting for this member (a few words at least).")
    if len(reason) > REASON_MAX:
        raise ApplicationError(f"The reason can be at most {REASON_MAX} characters.")
    return reason


def _require_moderator(*, user, community) -> None:
    membership = membership_require_verified(user=user, community=community)
    if membership.role != Role.MODERATOR:
        raise PermissionDenied("Only the community's moderators can act for another member.")


@transaction.atomic
def help_listing_create(
    *, actor, community, kind: str, category: str, description: str, availability: list[str],
    on_behalf_of_id: int | None = None, reason: str = "",
) -> HelpListing:
    """A verified resident posts an offer or a request. A community moderator may post for an
    offline member (`on_behalf_of_id`, with a reason): the action is logged and the member told."""
    owner_membership = membership_require_verified(user=actor, community=community)
    owner = actor
    if on_behalf_of_id is not None and on_behalf_of_id != actor.pk:
        _require_moderator(user=actor, community=community)
        reason = _clean_reason(reason)
        owner_membership = (
            Membership.objects.filter(user_id=on_behalf_of_id, community=community, status=MembershipStatus.VERIFIED)
            .select_related("user").first()
        )
        if owner_membership is None:
            raise NotFound("No such resident here.")
        owner = owner_membership.user
    if kind not in HelpKind.values:
        raise ApplicationError(f"A listing is an offer or a request ({', '.join(HelpKind.values)}).")
    if category not in HelpCategory.values:
        raise ApplicationError(f"Categories are: {', '.join(HelpCategory.values)}.")
    description = (description or "").strip()
    if not description:
        raise ApplicationError("Describe what you offer or need.")
    if len(description) > HELP_DESCRIPTION_MAX:
        raise ApplicationError(f"The description can be at most {HELP_DESCRIPTION_MAX} characters.")
    chosen = list(dict.fromkeys(availability or []))
    if not chosen:
        raise ApplicationError("Say when you are available (at least one of weekday daytime, evenings, weekends).")
    if any(a not in Availability.values for a in chosen):
        raise ApplicationError(f"Availability is any of: {', '.join(Availability.values)}.")
    listing = HelpListing(
        community=community, owner=owner, owner_membership=owner_membership, created_by=actor, kind=kind,
        category=category, description=description,
        availability=[a for a in Availability.values if a in chosen],
    )
    full_clean_or_raise(listing, exclude=["community", "owner", "owner_membership", "created_by"])
    listing.save()
    if owner != actor:
        ProxyAction.objects.create(community=community, moderator=actor, member=owner,
                                   action=ProxyActionKind.LISTING_CREATE, listing=listing, reason=reason)
        notification_send(recipient=owner, kind=Kind.HELP,
                          title=f"{actor.profile.display_name} posted a help listing for you",
                          body=reason, url=reverse("groups:help", kwargs={"slug": community.slug}))
    return listing


def _acting_for(*, actor, listing: HelpListing, reason: str) -> str | None:
    """None when the owner acts; the cleaned reason when a moderator acts for the owner."""
    if listing.owner_id == actor.pk:
        return None
    _require_moderator(user=actor, community=listing.community)
    return _clean_reason(reason)


@transaction.atomic
def help_match_accept(*, actor, listing: HelpListing, match_id: int, reason: str = "") -> HelpMatch:
    """The listing's owner (or a moderator for them) accepts a candidate listing. Opens exactly one
    chat room for the pair; accepting the same pair again returns the same match and room."""
    proxy_reason = _acting_for(actor=actor, listing=listing, reason=reason)
    if not isinstance(match_id, int) or not 0 < match_id < 2**63:
        raise NotFound("No such match.")
    locked = {
        row.pk: row
        for row in HelpListing.objects.select_for_update(of=("self",))
        .filter(pk__in=[listing.pk, match_id], community_id=listing.community_id)
        .select_related("owner__profile", "owner_membership")
    }
    mine, theirs = locked.get(listing.pk), locked.get(match_id)
    if mine is None or theirs is None or theirs.pk == mine.pk:
        raise NotFound("No such match.")
    request, offer = (mine, theirs) if mine.kind == HelpKind.REQUEST else (theirs, mine)
    existing = HelpMatch.objects.filter(request=request, offer=offer).first()
    if existing is not None:
        return existing
    if (
        theirs.kind == mine.kind
        or theirs.category != mine.category
        or theirs.owner_id == mine.owner_id
        or theirs.status != HelpStatus.OPEN
        or theirs.owner_membership.status != MembershipStatus.VERIFIED
    ):
        raise NotFound("No such match.")
    if mine.status != HelpStatus.OPEN:
        raise Conflict("This listing is no longer open.")
    if request.status != HelpStatus.OPEN:
        raise Conflict("That request has already been matched.")
    helper, helped = offer.owner, request.owner
    room = conversation_create_room(
        community=listing.community, title=f"Help: {request.get_category_display()}"[:120], members=[helper, helped],
    )
    match = HelpMatch(request=request, offer=offer, helper=helper, helped=helped, accepted_by=actor, conversation=room)
    full_clean_or_raise(match, exclude=["request", "offer", "helper", "helped", "accepted_by", "conversation"])
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError:  # accepted concurrently from the other side
        raise Conflict("This match was just accepted.") from None
    request.status = HelpStatus.MATCHED  # a request is met once; an offer stays open for others
    request.save(update_fields=["status", "updated_at"])
    if proxy_reason is not None:
        ProxyAction.objects.create(community=listing.community, moderator=actor, member=mine.owner,
                                   action=ProxyActionKind.MATCH_ACCEPT, listing=mine, match=match,
                                   reason=proxy_reason)
    url = reverse("realtime:room", kwargs={"conversation_id": room.pk})
    for person in {helper.pk: helper, helped.pk: helped}.values():
        if person.pk == actor.pk:
            continue
        notification_send(recipient=person, kind=Kind.HELP,
                          title=f"You are matched for {request.get_category_display().lower()}",
                          body="A chat is open for the two of you to arrange it.", url=url)
    return match


@transaction.atomic
def help_listing_close(*, actor, listing: HelpListing) -> HelpListing:
    if listing.owner_id != actor.pk:
        raise PermissionDenied("Only the person who posted the listing can close it.")
    HelpListing.objects.filter(pk=listing.pk).update(status=HelpStatus.CLOSED, updated_at=timezone.now())
    listing.status = HelpStatus.CLOSED
    return listing


def _clean_hours(hours) -> Decimal:
    try:
        value = Decimal(str(hours))
    except (InvalidOperation, ValueError, TypeError):
        raise ApplicationError("Give the hours as a number, e.g. 1 or 1.5.") from None
    if not value.is_finite() or value <= 0:
        raise ApplicationError("Hours must be more than zero.")
    if value > HOURS_MAX:
        raise ApplicationError(f"Record at most {HOURS_MAX:g} hours at a time.")
    if (value * 4) % 1 != 0:
        raise ApplicationError("Record hours in quarters of an hour (0.25, 0.5, 0.75 …).")
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def help_hours_confirm(*, user, match: HelpMatch, hours) -> HoursEntry:
    """One of the pair says how many hours the help took. The entry counts once the other confirms
    the same figure; a different figure replaces the proposal and waits for the other again."""
    if user.pk not in (match.helper_id, match.helped_id):
        raise NotFound()
    value = _clean_hours(hours)
    HelpMatch.objects.select_for_update().filter(pk=match.pk).first()  # one writer per match at a time
    side = "helper_confirmed" if user.pk == match.helper_id else "helped_confirmed"
    entry = HoursEntry.objects.filter(match=match, status=HoursStatus.PROPOSED).first()
    if entry is None or entry.hours != value:
        if entry is None:
            entry = HoursEntry(match=match)
        entry.hours, entry.helper_confirmed, entry.helped_confirmed = value, False, False
    setattr(entry, side, True)
    if entry.helper_confirmed and entry.helped_confirmed:
        entry.status, entry.confirmed_at = HoursStatus.CONFIRMED, timezone.now()
    full_clean_or_raise(entry, exclude=["match"])
    entry.save()
    other = match.helped if user.pk == match.helper_id else match.helper
    if entry.status == HoursStatus.PROPOSED:
        notification_send(recipient=other, kind=Kind.HELP,
                          title=f"{user.profile.display_name} recorded {value:g} hours of help: please confirm",
                          url=reverse("groups:match", kwargs={"match_id": match.pk}))
    return entry


@transaction.atomic
def help_thanks_opt_set(*, user, community, opted_in: bool) -> bool:
    membership_require_verified(user=user, community=community)
    if opted_in:
        HelpThanksOptIn.objects.get_or_create(user=user, community=community)
    else:
        HelpThanksOptIn.objects.filter(user=user, community=community).delete()
    return opted_in
