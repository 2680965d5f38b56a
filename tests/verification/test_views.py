import csv
import io

import pytest
from django.test import Client

from neighbourly.verification.models import ClaimStatus, Method, Postcard
from tests.communities.factories import MembershipFactory
from tests.verification.factories import make_claim, make_voucher

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_pending_member_chooses_a_method(pending_member):
    client = client_for(pending_member.user)
    page = client.get(f"/communities/{pending_member.community.slug}/")
    assert page.status_code == 200
    assert b"Choose how to verify" in page.content
    response = client.post(f"/communities/{pending_member.community.slug}/verify/", {"method": "postcard"})
    assert response.status_code == 302
    page = client.get(f"/communities/{pending_member.community.slug}/")
    assert b"Enter the code from your postcard" in page.content


def test_pending_page_shows_vouch_link_and_count(community):
    claim = make_claim(community=community, method=Method.VOUCH)
    page = client_for(claim.user).get(f"/communities/{community.slug}/")
    assert claim.vouch_token.encode() in page.content
    assert b"0 of 2" in page.content


def test_wrong_code_on_the_page_shows_the_message(community):
    claim = make_claim(community=community, method=Method.POSTCARD)
    client = client_for(claim.user)
    response = client.post(f"/verification/claims/{claim.pk}/code/", {"code": "AAAA-BBBB"}, follow=True)
    assert b"That code is not valid" in response.content


def test_vouch_page_shows_name_and_street_never_number(community):
    claim = make_claim(community=community, method=Method.VOUCH, number="731", street="Birch Lane")
    voucher = make_voucher(community=community)
    client = client_for(voucher)
    page = client.get(f"/verification/vouch/{claim.vouch_token}/")
    content = page.content.decode()
    assert claim.user.profile.display_name in content and "Birch Lane" in content
    assert "731" not in content
    response = client.post(f"/verification/vouch/{claim.vouch_token}/")
    assert b"Your vouch is recorded" in response.content


def test_desk_pages_for_moderator_and_404_for_others(community, moderator, other_community):
    make_claim(community=community, method=Method.POSTCARD)
    slug = community.slug
    urls = [
        f"/communities/{slug}/moderation/{p}/"
        for p in ("claims", "postcards", "register", "verification-log")
    ]
    mod = client_for(moderator.user)
    assert [mod.get(u).status_code for u in urls] == [200, 200, 200, 200]
    outsider = client_for(MembershipFactory(community=other_community, moderator=True).user)
    assert [outsider.get(u).status_code for u in urls] == [404, 404, 404, 404]
    assert outsider.post(f"/communities/{slug}/moderation/postcards/print/").status_code == 404
    assert Postcard.objects.exists() is False


def test_print_page_has_one_card_per_claim_and_csv_for_mail_house(community, moderator):
    first = make_claim(community=community, method=Method.POSTCARD, number="3", street="Mill Close", unit="4")
    mod = client_for(moderator.user)
    page = mod.post(f"/communities/{community.slug}/moderation/postcards/print/", {"format": "html"})
    content = page.content.decode()
    assert content.count('class="postcard"') == 1
    assert "Flat 4, 3 Mill Close" in content and first.user.profile.display_name in content
    assert page["Cache-Control"] == "private, no-store"
    second = make_claim(community=community, method=Method.POSTCARD)
    response = mod.post(f"/communities/{community.slug}/moderation/postcards/print/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["name", "address_line_1", "address_line_2", "address_line_3", "code", "expires"]
    assert [r[0] for r in rows[1:]] == [second.user.profile.display_name]


def test_moderator_approves_on_the_desk(community, moderator):
    claim = make_claim(community=community, method=Method.DOCUMENT)
    mod = client_for(moderator.user)
    response = mod.post(
        f"/verification/claims/{claim.pk}/decision/", {"approve": "1", "reason": ""}, follow=True
    )
    assert b"is now verified" in response.content
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED


def test_verified_member_lands_in_the_community(community, moderator):
    claim = make_claim(community=community, method=Method.DOCUMENT)
    client_for(moderator.user).post(f"/verification/claims/{claim.pk}/decision/", {"approve": "1"})
    page = client_for(claim.user).get(f"/communities/{community.slug}/")
    assert b"Your neighbourhood" in page.content


def test_my_claims_page(community):
    claim = make_claim(community=community)
    page = client_for(claim.user).get("/verification/claims/")
    assert claim.address.label.encode() in page.content


def test_member_who_moved_away_ends_verification_on_the_page(community, moderator):
    from neighbourly.communities.models import Membership, MembershipStatus

    claim = make_claim(community=community, method=Method.DOCUMENT)
    client_for(moderator.user).post(f"/verification/claims/{claim.pk}/decision/", {"approve": "1"})
    client = client_for(claim.user)
    response = client.post(f"/verification/claims/{claim.pk}/revoke/", follow=True)
    assert b"has ended" in response.content
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REVOKED
    assert Membership.objects.get(user=claim.user, community=community).status == MembershipStatus.PENDING


def test_typed_address_page_for_a_community_without_register():
    from tests.accounts.factories import UserFactory
    from tests.communities.factories import CommunityFactory

    community = CommunityFactory(name="Newtown")
    client = client_for(UserFactory())
    assert b"Newtown" in client.get("/verification/claims/typed/").content
    response = client.post(
        "/verification/claims/typed/",
        {"community": community.slug, "address": "Flat 2, 14 Elm St", "method": "document"},
    )
    assert response.status_code == 302
    page = client.get(f"/communities/{community.slug}/")
    assert b"With the moderators" in page.content and b"Flat 2, 14 Elm St" in page.content


def test_a_bad_cursor_on_the_desk_shows_the_first_page_with_a_message(community, moderator, assert_bad_cursor_page):
    make_claim(community=community, method=Method.POSTCARD)
    client = client_for(moderator.user)
    for page in ("claims", "verification-log"):
        assert_bad_cursor_page(client, f"/communities/{community.slug}/moderation/{page}/")
