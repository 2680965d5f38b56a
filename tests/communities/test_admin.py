"""The Django admin for site admins: communities, the register and memberships.

`admin_client` is pytest-django's: a superuser made as `manage createsuperuser` makes one.
"""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from neighbourly.communities.models import Address, Community, Membership, MembershipStatus, Role
from tests.communities.factories import AddressFactory, CommunityFactory, MembershipFactory, square

pytestmark = pytest.mark.django_db

CHANGELISTS = ("community", "address", "membership")


def _action(client, name, memberships, **extra):
    data = {"action": name, "_selected_action": [m.pk for m in memberships], "index": 0, **extra}
    return client.post(reverse("admin:communities_membership_changelist"), data, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelists_load_for_a_superuser(admin_client, member, model):
    response = admin_client.get(reverse(f"admin:communities_{model}_changelist"))
    assert response.status_code == 200


def test_change_pages_load_for_a_superuser(admin_client, member):
    for model, obj in (("community", member.community), ("address", member.address), ("membership", member)):
        response = admin_client.get(reverse(f"admin:communities_{model}_change", args=[obj.pk]))
        assert response.status_code == 200, model


def test_the_community_page_shows_the_boundary_as_geojson_and_not_as_a_field(admin_client, community):
    response = admin_client.get(reverse("admin:communities_community_change", args=[community.pk]))
    assert "boundary_geojson" not in response.context["adminform"].form.fields
    assert "boundary" not in response.context["adminform"].form.fields
    assert f"<pre>{escape(json.dumps(community.boundary, indent=2))}</pre>" in response.content.decode()


@pytest.mark.parametrize("model", ("address", "membership"))
def test_the_register_and_memberships_cannot_be_added_or_edited_here(admin_client, member, model):
    assert admin_client.get(reverse(f"admin:communities_{model}_add")).status_code == 403
    obj = member if model == "membership" else member.address
    response = admin_client.get(reverse(f"admin:communities_{model}_change", args=[obj.pk]))
    assert not response.context["has_change_permission"]
    assert "Save" not in response.content.decode()


def test_a_membership_change_post_changes_nothing(admin_client, member):
    url = reverse("admin:communities_membership_change", args=[member.pk])
    response = admin_client.post(url, {"role": Role.MODERATOR, "status": MembershipStatus.SUSPENDED})
    assert response.status_code == 403
    member.refresh_from_db()
    assert (member.role, member.status) == (Role.RESIDENT, MembershipStatus.VERIFIED)


def test_addresses_are_searchable_by_street_and_postcode(admin_client, community):
    AddressFactory(community=community, street="Elm Street", postcode="TE1 1ST")
    AddressFactory(community=community, street="Oak Road", postcode="OX2 9ZZ")
    url = reverse("admin:communities_address_changelist")
    by_street = admin_client.get(url, {"q": "oak"}).context["cl"].result_list
    by_postcode = admin_client.get(url, {"q": "TE1"}).context["cl"].result_list
    assert [a.street for a in by_street] == ["Oak Road"]
    assert [a.street for a in by_postcode] == ["Elm Street"]


def test_memberships_are_searchable_by_email_and_display_name_and_filtered(admin_client, community):
    ada = MembershipFactory(community=community, verified=True, user__email="ada@example.org",
                            user__profile__display_name="Ada Lovelace")
    bob = MembershipFactory(community=community, moderator=True, user__profile__display_name="Bob Builder")
    pending = MembershipFactory(community=community)
    url = reverse("admin:communities_membership_changelist")

    def pks(**params):
        return {m.pk for m in admin_client.get(url, params).context["cl"].result_list}

    assert pks(q="ada@example") == {ada.pk}
    assert pks(q="Builder") == {bob.pk}
    assert pks(role__exact="moderator") == {bob.pk}
    assert pks(status__exact="pending") == {pending.pk}


# --- creating and changing a community ----------------------------------------------------------


def test_the_add_page_loads(admin_client):
    response = admin_client.get(reverse("admin:communities_community_add"))
    assert response.status_code == 200
    assert "boundary_geojson" in response.context["adminform"].form.fields


def test_a_site_admin_creates_a_community_through_the_service(admin_client, community):
    response = admin_client.post(reverse("admin:communities_community_add"), {
        "slug": "riverside", "name": "Riverside", "nearby": [community.pk],
        "boundary_geojson": json.dumps({"type": "Feature", "geometry": square(-1.0, 51.0, 0.02)}),
    })
    created = Community.objects.get(slug="riverside")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:communities_community_changelist")
    # As community_create stores it: the bare geometry, with its bounding box.
    assert created.boundary["type"] == "Polygon"
    assert (created.min_lon, created.min_lat, created.max_lon, created.max_lat) == pytest.approx(
        (-1.0, 51.0, -0.98, 51.02))
    assert list(created.nearby.all()) == [community]
    assert list(community.nearby.all()) == [created]


@pytest.mark.parametrize("boundary, message", [
    ("{not json", "This is not JSON"),
    (json.dumps({"type": "Point", "coordinates": [0, 0]}), "must be a GeoJSON Polygon"),
    (json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}),
     "not a valid polygon"),
])
def test_a_bad_boundary_is_a_message_on_the_form_and_creates_nothing(admin_client, boundary, message):
    response = admin_client.post(reverse("admin:communities_community_add"),
                                 {"slug": "riverside", "name": "Riverside", "boundary_geojson": boundary})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Community.objects.filter(slug="riverside").exists()


def test_a_taken_slug_is_refused_on_the_form(admin_client, community):
    response = admin_client.post(reverse("admin:communities_community_add"), {
        "slug": community.slug, "name": "Again", "boundary_geojson": json.dumps(square(10, 10)),
    })
    assert response.status_code == 200
    assert Community.objects.filter(slug=community.slug).count() == 1


def test_a_site_admin_changes_the_settings_but_not_the_slug_or_boundary(admin_client, community):
    boundary = community.boundary
    response = admin_client.post(reverse("admin:communities_community_change", args=[community.pk]), {
        "slug": "renamed", "name": "Renamed", "household_cap": 4, "verification_methods": ["postcard", "vouch"],
        "geolocation_radius_m": 100, "geolocation_max_accuracy_m": 50, "vouches_required": 2,
        "vouch_min_days": 14, "vouch_monthly_quota": 3,
    })
    assert response.status_code == 302
    community.refresh_from_db()
    assert (community.name, community.household_cap) == ("Renamed", 4)
    assert community.verification_methods == ["postcard", "vouch"]
    assert community.slug != "renamed"
    assert community.boundary == boundary


# --- who may see it -----------------------------------------------------------------------------


@pytest.mark.parametrize("model", CHANGELISTS)
def test_a_verified_resident_is_sent_to_the_admin_login_and_sees_nothing(client, member, model):
    neighbour = MembershipFactory(community=member.community, verified=True,
                                  user__profile__display_name="Secret Sam")
    client.force_login(member.user)
    response = client.get(reverse(f"admin:communities_{model}_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    body = client.get(response["Location"]).content.decode()
    assert "not authorized to access this page" in body
    assert neighbour.user.email not in body and "Secret Sam" not in body
    assert member.community.name not in body and member.address.street not in body


def test_a_resident_cannot_run_the_actions(client, member):
    client.force_login(member.user)
    response = client.post(reverse("admin:communities_membership_changelist"),
                           {"action": "appoint_moderator", "_selected_action": [member.pk], "index": 0})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == Role.RESIDENT


# --- actions: state changes go through the services ---------------------------------------------


def test_appoint_moderator(admin_client, member, pending_member):
    response = _action(admin_client, "appoint_moderator", [member, pending_member])
    assert response.status_code == 200
    member.refresh_from_db()
    pending_member.refresh_from_db()
    assert member.is_moderator
    # membership_grant_role: appointed staff count as verified members.
    assert pending_member.is_moderator and pending_member.verified_at is not None
    assert "Appointed moderator: 2 memberships." in _messages(response)


def test_appointing_an_unconfirmed_account_is_refused_with_a_message(admin_client, community):
    newcomer = MembershipFactory(community=community, verified=True, user__email_confirmed_at=None)
    response = _action(admin_client, "appoint_moderator", [newcomer])
    assert response.status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.role == Role.RESIDENT
    [message] = response.context["messages"]
    assert message.level_tag == "error" and "not confirmed its e-mail" in message.message


def test_back_to_resident_and_property_manager(admin_client, moderator, member):
    _action(admin_client, "make_resident", [moderator])
    _action(admin_client, "appoint_property_manager", [member])
    moderator.refresh_from_db()
    member.refresh_from_db()
    assert moderator.role == Role.RESIDENT and member.role == Role.PROPERTY_MANAGER


def test_suspend_member(admin_client, member):
    before = timezone.now()
    response = _action(admin_client, "suspend", [member], suspend_days="3")
    member.refresh_from_db()
    assert member.status == MembershipStatus.SUSPENDED
    assert before + timedelta(days=3) <= member.suspended_until <= timezone.now() + timedelta(days=3)
    assert "Suspended for 3 days: 1 membership." in _messages(response)


def test_suspending_a_pending_member_is_an_error_message_not_a_500(admin_client, member, pending_member):
    response = _action(admin_client, "suspend", [pending_member, member], suspend_days="7")
    assert response.status_code == 200
    pending_member.refresh_from_db()
    member.refresh_from_db()
    assert pending_member.status == MembershipStatus.PENDING
    assert member.status == MembershipStatus.SUSPENDED  # the others still go through
    levels = {m.level_tag for m in response.context["messages"]}
    assert levels == {"error", "success"}
    assert any("Only a verified member can be suspended." in m for m in _messages(response))


@pytest.mark.parametrize("days", ["", "0", "400", "many"])
def test_suspending_needs_a_sensible_number_of_days(admin_client, member, days):
    response = _action(admin_client, "suspend", [member], suspend_days=days)
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.status == MembershipStatus.VERIFIED
    assert any("number of days" in m for m in _messages(response))


def test_end_suspension(admin_client, member):
    _action(admin_client, "suspend", [member], suspend_days="7")
    _action(admin_client, "end_suspension", [member])
    member.refresh_from_db()
    assert member.status == MembershipStatus.VERIFIED and member.suspended_until is None


def test_actions_are_logged_for_the_site_admins(admin_client, member):
    from django.contrib.admin.models import LogEntry

    _action(admin_client, "appoint_moderator", [member])
    entry = LogEntry.objects.get(object_id=str(member.pk))
    assert entry.get_change_message() == "Appointed moderator"


# --- queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_the_membership_changelist_does_not_query_per_row(admin_client, community, rows,
                                                          django_assert_max_num_queries):
    MembershipFactory.create_batch(rows, community=community, verified=True)
    url = reverse("admin:communities_membership_changelist")
    admin_client.get(url)  # the session and the superuser's first load
    # session, user, the community filter's choices, two counts, the page: the same for 3 or 30 rows.
    with django_assert_max_num_queries(6):
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == rows
    assert Membership.objects.count() == rows


def test_the_community_and_address_changelists_do_not_query_per_row(admin_client, django_assert_max_num_queries):
    for community in CommunityFactory.create_batch(5):
        AddressFactory.create_batch(3, community=community)
        MembershipFactory.create_batch(2, community=community, verified=True)
    admin_client.get(reverse("admin:communities_community_changelist"))
    for model in ("community", "address"):
        with django_assert_max_num_queries(5):
            admin_client.get(reverse(f"admin:communities_{model}_changelist"))
    assert Address.objects.count() == 25
