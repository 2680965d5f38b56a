"""What the member is told about a decision on their claim (e-mail now; in-app with notifications)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from neighbourly.verification.models import ClaimDecision, Outcome

SUBJECTS = {
    Outcome.VERIFIED: "You are a verified resident of {community}",
    Outcome.REJECTED: "Your address claim in {community} was not accepted",
    Outcome.REVOKED: "Your verification in {community} has ended",
}


def claim_decision_email(*, decision_id: int) -> bool:
    decision = (
        ClaimDecision.objects.select_related("claim__user__profile", "claim__community", "claim__address")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None or decision.outcome not in SUBJECTS:
        return False
    claim = decision.claim
    community = claim.community
    lines = [f"Hello {claim.user.profile.display_name},", ""]
    if decision.outcome == Outcome.VERIFIED:
        lines.append(f"Your address {claim.address_label} is verified. Welcome to {community.name}!")
    elif decision.outcome == Outcome.REJECTED:
        lines.append(f"The moderators of {community.name} did not accept your claim for {claim.address_label}.")
    else:
        lines.append(f"Your verification for {claim.address_label} in {community.name} has ended.")
    if decision.reason:
        lines += ["", f"Reason: {decision.reason}"]
    lines += ["", f"See your claim: {reverse('communities:detail', args=[community.slug])}"]
    send_mail(
        SUBJECTS[decision.outcome].format(community=community.name),
        "\n".join(lines),
        settings.DEFAULT_FROM_EMAIL,
        [claim.user.email],
    )
    return True
