"""The Django admin for site admins: businesses and offers, read-only."""

import pytest
from django.urls import reverse

from tests.merchants.factories import make_business, make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_business(community):
    return make_business(name="Unproven Bakery", communities=[community], approved=False, verified=False)


def test_the_pages_load_for_a_superuser(admin_client, business, offer, pending_business):
    for url in (
        reverse("admin:merchants_business_changelist"),
        reverse("admin:merchants_business_change", args=[business.pk]),
        reverse("admin:merchants_offer_changelist"),
        reverse("admin:merchants_offer_change", args=[offer.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    assert not response.context["has_change_permission"]


def test_the_business_page_shows_where_it_is_approved(admin_client, business, community):
    body = admin_client.get(reverse("admin:merchants_business_change", args=[business.pk])).content.decode()
    assert community.name in body and "Approved" in body


@pytest.mark.parametrize("model", ("business", "offer"))
def test_nothing_is_added_edited_or_deleted_here(admin_client, offer, model):
    obj = offer if model == "offer" else offer.business
    assert admin_client.get(reverse(f"admin:merchants_{model}_add")).status_code == 403
    assert admin_client.get(reverse(f"admin:merchants_{model}_delete", args=[obj.pk])).status_code == 403
    assert admin_client.post(reverse(f"admin:merchants_{model}_change", args=[obj.pk]), {}).status_code == 403


def test_businesses_filter_by_status(admin_client, business, pending_business):
    url = reverse("admin:merchants_business_changelist")

    def names(**params):
        return sorted(b.name for b in admin_client.get(url, params).context["cl"].result_list)

    assert names(served__status__exact="approved") == [business.name]
    assert names(served__status__exact="pending") == ["Unproven Bakery"]
    assert names(verified="no") == ["Unproven Bakery"]
    assert names(verified="yes") == [business.name]
    assert names(q="bakery") == ["Unproven Bakery"]


def test_offers_filter_by_status(admin_client, offer, business, community):
    paused = make_offer(business=business, communities=[community], title="Paused", status="paused")
    url = reverse("admin:merchants_offer_changelist")
    assert list(admin_client.get(url, {"status__exact": "paused"}).context["cl"].result_list) == [paused]


def test_a_verified_resident_is_sent_to_the_admin_login_and_sees_nothing(client, member, business, offer):
    client.force_login(member.user)
    for model in ("business", "offer"):
        response = client.get(reverse(f"admin:merchants_{model}_changelist"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        body = client.get(response["Location"]).content.decode()
        assert business.name not in body and offer.title not in body


def test_the_changelists_do_not_query_per_row(admin_client, community, django_assert_max_num_queries):
    for _ in range(10):
        make_offer(business=make_business(communities=[community]), communities=[community])
    for model in ("business", "offer"):
        url = reverse(f"admin:merchants_{model}_changelist")
        admin_client.get(url)
        with django_assert_max_num_queries(5):
            response = admin_client.get(url)
        assert len(response.context["cl"].result_list) == 10
