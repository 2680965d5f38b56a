"""The Django admin for site admins: reports, cases and the decisions log, read-only."""

import pytest
from django.urls import reverse

from neighbourly.moderation.models import Action, Case, CaseStatus, Report
from neighbourly.moderation.services import action_take
from tests.feed.factories import PostFactory
from tests.moderation.conftest import report

pytestmark = pytest.mark.django_db

MODELS = ("report", "case", "action")


@pytest.fixture
def decided(post, reporters, moderator):
    """Two posts reported: one still waiting, one the moderator hid (so one of each status)."""
    report(reporters[0], post)
    report(reporters[1], post)
    other = PostFactory(community=post.community)
    report(reporters[2], other)
    case = Case.objects.get(target_type="post", target_id=other.pk)
    action_take(moderator=moderator.user, case_id=case.pk, action="hide", guideline="be-kind", reason="Rude")
    return Case.objects.get(target_type="post", target_id=post.pk), case


@pytest.mark.parametrize("model", MODELS)
def test_changelists_and_change_pages_load_for_a_superuser(admin_client, decided, model):
    obj = {"report": Report, "case": Case, "action": Action}[model].objects.first()
    assert admin_client.get(reverse(f"admin:moderation_{model}_changelist")).status_code == 200
    response = admin_client.get(reverse(f"admin:moderation_{model}_change", args=[obj.pk]))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]


@pytest.mark.parametrize("model", MODELS)
def test_nothing_is_added_edited_or_deleted_here(admin_client, decided, model):
    obj = {"report": Report, "case": Case, "action": Action}[model].objects.first()
    assert admin_client.get(reverse(f"admin:moderation_{model}_add")).status_code == 403
    assert admin_client.get(reverse(f"admin:moderation_{model}_delete", args=[obj.pk])).status_code == 403
    assert admin_client.post(reverse(f"admin:moderation_{model}_change", args=[obj.pk]), {}).status_code == 403


def test_reports_filter_by_their_case_status(admin_client, decided):
    waiting, closed = decided
    url = reverse("admin:moderation_report_changelist")

    def cases(**params):
        return sorted(r.case_id for r in admin_client.get(url, params).context["cl"].result_list)

    assert cases(case__status__exact=CaseStatus.OPEN) == [waiting.pk, waiting.pk]
    assert cases(case__status__exact=CaseStatus.CLOSED) == [closed.pk]
    assert "Waiting for a moderator" in admin_client.get(url).content.decode()


def test_cases_filter_by_status(admin_client, decided):
    _, closed = decided
    url = reverse("admin:moderation_case_changelist")
    result = admin_client.get(url, {"status__exact": CaseStatus.CLOSED}).context["cl"].result_list
    assert [c.pk for c in result] == [closed.pk]


def test_a_verified_resident_is_sent_to_the_admin_login_and_sees_nothing(client, decided, reporters):
    client.force_login(reporters[0].user)
    for model in MODELS:
        response = client.get(reverse(f"admin:moderation_{model}_changelist"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        body = client.get(response["Location"]).content.decode()
        assert reporters[1].user.email not in body and "Rude" not in body


def test_the_report_changelist_does_not_query_per_row(admin_client, decided, community,
                                                      django_assert_max_num_queries):
    from tests.communities.factories import MembershipFactory

    for member in MembershipFactory.create_batch(10, community=community, verified=True):
        report(member, PostFactory(community=community))
    url = reverse("admin:moderation_report_changelist")
    admin_client.get(url)
    # session, user, the community filter, two counts, the page, and the report list's two date
    # hierarchy queries: none per row.
    for model in MODELS:
        with django_assert_max_num_queries(8):
            admin_client.get(reverse(f"admin:moderation_{model}_changelist"))
    assert Report.objects.count() == 13
