import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from neighbourly.accounts.models import ApiToken
from neighbourly.accounts.selectors import api_token_get_active
from neighbourly.accounts.services import api_token_create
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_api_token_get_active_finds_the_token_and_writes_nothing():
    user = UserFactory()
    token, raw = api_token_create(user=user, name="script")
    with CaptureQueriesContext(connection) as queries:
        found = api_token_get_active(raw_token=raw)
        assert found.user.profile.display_name == user.profile.display_name  # user and profile joined
    assert (found.pk, found.user_id) == (token.pk, user.pk)
    assert [q["sql"].split()[0] for q in queries] == ["SELECT"]
    assert ApiToken.objects.get().last_used_at is None


def test_api_token_get_active_refuses_other_strings_and_inactive_users():
    user = UserFactory()
    _, raw = api_token_create(user=user, name="script")
    assert api_token_get_active(raw_token="nbly_wrong") is None
    assert api_token_get_active(raw_token="x" + raw) is None
    assert api_token_get_active(raw_token=raw + "x" * 200) is None
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert api_token_get_active(raw_token=raw) is None
