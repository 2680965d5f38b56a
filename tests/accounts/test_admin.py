"""The Django admin for site admins: accounts (`admin_client` is pytest-django's superuser)."""

import pytest
from django.urls import reverse

from neighbourly.accounts.models import User
from tests.accounts.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_user_pages_load_for_a_superuser(admin_client, member):
    for url in (
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_user_change", args=[member.user.pk]),
        reverse("admin:auth_user_password_change", args=[member.user.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_users_are_searchable_by_email(admin_client, member, other_member):
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": member.user.email})
    assert list(response.context["cl"].result_list) == [member.user]


def test_the_password_hash_is_not_an_editable_field(admin_client, member):
    response = admin_client.get(reverse("admin:accounts_user_change", args=[member.user.pk]))
    body = response.content.decode()
    *_, salt, digest = member.user.password.split("$")
    assert salt not in body and digest not in body
    assert 'name="password"' not in body
    # The e-mail address and its confirmation are the owner's to change (and confirm).
    form = response.context["adminform"].form
    assert "email" not in form.fields and "email_confirmed_at" not in form.fields


def test_a_change_keeps_the_password_and_email(admin_client, member):
    user = member.user
    response = admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), {
        "email": "someone-else@example.org", "password": "plain", "is_active": "on", "is_staff": "on",
        "profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "1", "profile-MIN_NUM_FORMS": "0",
        "profile-MAX_NUM_FORMS": "1", "profile-0-id": user.profile.pk, "profile-0-user": user.pk,
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_staff
    assert user.email != "someone-else@example.org"
    assert user.check_password(TEST_PASSWORD)


def test_a_site_admin_creates_an_account_with_its_profile(admin_client):
    response = admin_client.post(reverse("admin:accounts_user_add"), {
        "email": " New.Person@Example.org ", "display_name": "New Person", "email_confirmed": "on",
        "password1": "a-long-enough-passphrase", "password2": "a-long-enough-passphrase",
    })
    user = User.objects.get(email="new.person@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:accounts_user_change", args=[user.pk])
    assert user.profile.display_name == "New Person"
    assert user.email_confirmed and user.check_password("a-long-enough-passphrase")
    assert not user.is_staff


@pytest.mark.parametrize("data, message", [
    ({"email": "taken@example.org"}, "already exists"),
    ({"password2": "something-else-entirely"}, "didn’t match"),
    ({"password1": "short", "password2": "short"}, "too short"),
    ({"display_name": "   "}, "This field is required"),
])
def test_a_bad_new_account_is_a_message_on_the_form(admin_client, data, message):
    UserFactory(email="taken@example.org")
    fields = {"email": "new@example.org", "display_name": "New", "password1": "a-long-enough-passphrase",
              "password2": "a-long-enough-passphrase", **data}
    response = admin_client.post(reverse("admin:accounts_user_add"), fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == 2  # the superuser and taken@


def test_accounts_are_not_deleted_here(admin_client, member):
    response = admin_client.get(reverse("admin:accounts_user_delete", args=[member.user.pk]))
    assert response.status_code == 403
    assert User.objects.filter(pk=member.user.pk).exists()


def test_a_verified_resident_is_sent_to_the_admin_login_and_sees_nothing(client, member, other_member):
    client.force_login(member.user)
    for url in (reverse("admin:accounts_user_changelist"),
                reverse("admin:accounts_user_change", args=[other_member.user.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert other_member.user.email not in client.get(response["Location"]).content.decode()


def test_the_user_changelist_does_not_query_per_row(admin_client, django_assert_max_num_queries):
    UserFactory.create_batch(20)
    url = reverse("admin:accounts_user_changelist")
    admin_client.get(url)
    with django_assert_max_num_queries(5):
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == 21
