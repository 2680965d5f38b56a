"""schemathesis over every operation of /api/v1/openapi.json, anonymous and as a verified
resident (QUALITY.md "Bad input tried"): no 5xx, and successful responses match the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from neighbourly.accounts.services import api_token_create
from neighbourly.groups.help import services as help_services
from neighbourly.groups.services import group_create
from neighbourly.moderation.services import action_take, report_create
from neighbourly.realtime.services import chat_message_send, conversation_direct_get_or_create
from tests.communities.factories import AddressFactory, MembershipFactory
from tests.feed.factories import CommentFactory, PostFactory
from tests.merchants.factories import make_business, make_offer

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
CHECKS = [not_a_server_error, response_schema_conformance]
FUZZ = settings(max_examples=15, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much])


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """schemathesis calls the WSGI app directly, whose request signals would close the test's
    connection mid-transaction on PostgreSQL (Django's test client disconnects them too)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def resident_headers(db):
    membership = MembershipFactory(verified=True, community__slug="fuzzville")
    AddressFactory(community=membership.community)
    _, raw = api_token_create(user=membership.user, name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_as_anonymous(case):
    case.call_and_validate(checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_as_resident(case, resident_headers):
    case.call_and_validate(headers=resident_headers, checks=CHECKS)


@pytest.fixture
def resident_with_data(db):
    """A resident who has posted, commented, started a group, a help listing, a conversation and a
    business with an offer, and received a moderator's warning: the fuzz then hits real objects
    through every id in a path, not only 404s."""
    membership = MembershipFactory(verified=True, community__slug="fuzzville")
    community, user = membership.community, membership.user
    AddressFactory(community=community)
    neighbour = MembershipFactory(verified=True, community=community)
    moderator = MembershipFactory(moderator=True, community=community)
    post = PostFactory(community=community, author=user, author_membership=membership)
    CommentFactory(post=post, author=neighbour.user)
    group = group_create(creator=user, community=community, name="Allotment friends")
    listing = help_services.help_listing_create(actor=user, community=community, kind="request", category="tech",
                                                description="Help with my phone", availability=["weekends"])
    conversation, _ = conversation_direct_get_or_create(user=user, other_user_id=neighbour.user_id)
    chat_message_send(user=user, conversation_id=conversation.pk, body="Hello")
    business = make_business(owner=user, communities=[community])
    offer = make_offer(business=business, communities=[community])
    report = report_create(reporter=neighbour.user, target_type="post", target_id=post.pk, reason="Not local")
    action = action_take(moderator=moderator.user, case_id=report.case_id, action="warn", reason="Keep it local",
                         guideline="keep-it-local")
    _, raw = api_token_create(user=user, name="fuzz")
    ids = {"slug": community.slug, "post_id": post.pk, "group_id": group.pk, "listing_id": listing.pk,
           "conversation_id": conversation.pk, "business_id": business.pk, "offer_id": offer.pk,
           "action_id": action.pk, "user_id": neighbour.user_id}
    return {"Authorization": f"Bearer {raw}"}, ids


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_api_as_resident_on_their_own_data(case, resident_with_data):
    headers, ids = resident_with_data
    if case.path_parameters:
        case.path_parameters = {name: ids.get(name, value) for name, value in case.path_parameters.items()}
    case.call_and_validate(headers=headers, checks=CHECKS)
