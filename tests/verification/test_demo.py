import pytest

from neighbourly.demo import demo_seed
from neighbourly.verification import selectors
from neighbourly.verification.models import ClaimStatus

pytestmark = pytest.mark.django_db


def test_demo_has_an_open_claim_of_each_kind_for_the_millbrook_moderator():
    demo_seed()
    from neighbourly.communities.models import Community

    queue = list(selectors.claim_queue_for_moderator(community=Community.objects.get(slug="millbrook")))
    assert sorted(c.method for c in queue) == ["document", "geolocation", "postcard", "register", "vouch"]
    assert {c.user.email.split("@")[0] for c in queue} >= {"newcomer"}
    document = next(c for c in queue if c.method == "document")
    assert document.status == ClaimStatus.REVIEW and document.document
    demo_seed()  # idempotent
    assert (
        len(list(selectors.claim_queue_for_moderator(community=Community.objects.get(slug="millbrook")))) == 5
    )
