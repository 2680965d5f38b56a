"""The member's time zone: chosen on the account page (or the device's), carried in a cookie the
middleware reads without a query, applied to pages and to datetime inputs; forged values ignored."""

from datetime import datetime, timezone as dt_timezone

import pytest

from neighbourly.accounts.middleware import COOKIE
from neighbourly.merchants.models import Offer
from tests.merchants.factories import make_business, make_offer

pytestmark = pytest.mark.django_db


def test_account_page_saves_a_zone_and_sets_the_cookie(member, client):
    client.force_login(member.user)
    response = client.post("/account/time-zone/", {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    assert response.cookies[COOKIE].value == "Asia/Tokyo"
    member.user.profile.refresh_from_db()
    assert member.user.profile.time_zone == "Asia/Tokyo"
    page = client.get("/account/").content.decode()
    assert "<option selected>Asia/Tokyo</option>" in page
    assert 'data-time-zone="Asia/Tokyo"' in page


def test_unknown_zone_is_refused_and_following_the_device_clears_the_choice(member, client):
    client.force_login(member.user)
    client.post("/account/time-zone/", {"time_zone": "Europe/London"})
    bad = client.post("/account/time-zone/", {"time_zone": "Mars/Olympus_Mons"}, follow=True)
    assert "Choose a time zone from the list" in bad.content.decode()
    member.user.profile.refresh_from_db()
    assert member.user.profile.time_zone == "Europe/London"
    cleared = client.post("/account/time-zone/", {"time_zone": ""})
    assert cleared.cookies[COOKIE].value == ""  # deleted: the device's zone applies again
    member.user.profile.refresh_from_db()
    assert member.user.profile.time_zone == ""


def test_datetime_inputs_are_read_in_the_members_zone(member, community, client):
    business = make_business(owner=member.user, communities=[community])
    offer = make_offer(business=business, communities=[community])
    client.force_login(member.user)
    client.cookies[COOKIE] = "Asia/Tokyo"
    client.post(f"/offers/{offer.id}/edit/", {"title": offer.title, "body": "", "ends_at": "2026-12-20T09:00",
                                               "max_claims": 10, "per_household": 1})
    assert Offer.objects.get(pk=offer.pk).ends_at == datetime(2026, 12, 20, 0, 0, tzinfo=dt_timezone.utc)


def test_a_forged_zone_cookie_is_ignored(member, client):
    client.force_login(member.user)
    client.cookies[COOKIE] = "../../etc/passwd"
    assert client.get("/account/").status_code == 200
