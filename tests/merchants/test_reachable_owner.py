"""A business's owner may choose to be reachable: named on the business page, linking to their
profile card (from which neighbours message them)."""

import pytest
from django.test import Client

from neighbourly.merchants.models import BusinessOwner
from tests.communities.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_resident(merchant, community):
    merchant.profile.display_name = "Priya Baker"
    merchant.profile.save()
    membership = MembershipFactory(community=community, user=merchant, verified=True)
    membership.address.number = "4711"
    membership.address.save()
    return membership


def test_owner_is_named_with_a_card_link_only_once_they_opt_in(business, merchant, owner_resident, member):
    url = f"/businesses/{business.id}/"
    assert "Run by" not in client_for(member.user).get(url).content.decode()
    owner_page = client_for(merchant).get(url).content.decode()
    assert "Show my name to neighbours" in owner_page
    response = client_for(merchant).post(f"/businesses/{business.id}/reachable/", {"reachable": "1"})
    assert response.status_code == 302 and BusinessOwner.objects.get().reachable is True
    html = client_for(member.user).get(url).content.decode()
    assert f'Run by <a class="neighbour-link" href="/neighbours/{merchant.pk}/">Priya Baker</a>' in html
    assert "4711" not in html
    client_for(merchant).post(f"/businesses/{business.id}/reachable/", {"reachable": "0"})
    assert "Run by" not in client_for(member.user).get(url).content.decode()


def test_an_owner_who_is_not_a_neighbour_of_the_viewer_is_not_named(business, merchant, member):
    client_for(merchant).post(f"/businesses/{business.id}/reachable/", {"reachable": "1"})
    assert BusinessOwner.objects.get().reachable is True
    assert "Run by" not in client_for(member.user).get(f"/businesses/{business.id}/").content.decode()


def test_only_an_owner_can_change_it(business, member):
    assert client_for(member.user).post(f"/businesses/{business.id}/reachable/", {"reachable": "1"}).status_code == 404
    assert BusinessOwner.objects.get().reachable is False
