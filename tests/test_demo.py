import pytest

from neighbourly.accounts.models import User
from neighbourly.communities.models import Address, Community, Membership
from neighbourly.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_seed

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_logins_work(api):
    demo_seed()
    counts = (Community.objects.count(), Address.objects.count(), User.objects.count(), Membership.objects.count())
    demo_seed()
    assert (Community.objects.count(), Address.objects.count(), User.objects.count(),
            Membership.objects.count()) == counts
    assert counts[0] == 2 and counts[1] > 300
    for login in DEMO_LOGINS:
        response = api.post_json("/auth/login", {"email": login.email, "password": DEMO_PASSWORD})
        assert response.status_code == 200, login.email
