"""What the member is told about a decision on their claim: an in-app notification (live on the
socket) and, per their preference (immediate by default), an e-mail sent after commit."""

from django.urls import reverse

from neighbourly.notifications.models import Kind
from neighbourly.notifications.services import notification_send
from neighbourly.verification.models import ClaimDecision, Outcome

TITLES = {
    Outcome.VERIFIED: "You are a verified resident of {community}",
    Outcome.REJECTED: "Your address claim in {community} was not accepted",
    Outcome.REVOKED: "Your verification in {community} has ended",
}


def claim_decision_notify(*, decision: ClaimDecision) -> bool:
    """Called inside the deciding transaction: the notification row commits with the decision."""
    if decision.outcome not in TITLES:
        return False
    claim = decision.claim
    community = claim.community
    if decision.outcome == Outcome.VERIFIED:
        body = f"Your address {claim.address_label} is verified. Welcome to {community.name}!"
    elif decision.outcome == Outcome.REJECTED:
        body = f"The moderators of {community.name} did not accept your claim for {claim.address_label}."
    else:
        body = f"Your verification for {claim.address_label} in {community.name} has ended."
    if decision.reason:
        body += f"\n\nReason: {decision.reason}"
    notification_send(
        recipient=claim.user,
        kind=Kind.VERIFICATION,
        title=TITLES[decision.outcome].format(community=community.name),
        body=body,
        url=reverse("site:community", args=[community.slug]),
    )
    return True
