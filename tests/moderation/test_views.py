from datetime import timedelta

import pytest
from django.utils import timezone

from neighbourly.communities.models import Membership
from neighbourly.communities.services import membership_suspend
from neighbourly.moderation.models import Action, Appeal, Case, Report
from tests.communities.factories import MembershipFactory
from tests.moderation.conftest import report

pytestmark = pytest.mark.django_db


def _login(client, membership):
    client.force_login(membership.user)
    return client


def test_report_page_lists_guidelines_and_reports(client, post, reporters):
    _login(client, reporters[0])
    url = f"/moderation/report/?target_type=post&target_id={post.pk}&next=/posts/{post.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and b"Be kind and respectful" in page.content
    response = client.post("/moderation/report/", {"target_type": "post", "target_id": post.pk, "guideline": "honest",
                                                    "reason": "", "next": f"/posts/{post.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/posts/{post.pk}/"
    again = client.post("/moderation/report/", {"target_type": "post", "target_id": post.pk, "guideline": "honest",
                                                "next": "https://evil.example/"})
    assert again.status_code == 409 and Report.objects.count() == 1


def test_report_page_for_invisible_item_is_404(client, post, other_member):
    _login(client, other_member)
    assert client.get(f"/moderation/report/?target_type=post&target_id={post.pk}").status_code == 404
    assert client.get("/moderation/report/?target_type=post&target_id=abc").status_code == 404


def test_queue_page_for_moderators_only(client, post, reporters, moderator, other_community):
    report(reporters[0], post)
    slug = post.community.slug
    assert _login(client, moderator).get(f"/communities/{slug}/moderation/").status_code == 200
    page = client.get(f"/communities/{slug}/moderation/")
    assert b"Cheap watches" in page.content and b"1 neighbour reported this" in page.content
    assert reporters[0].user.profile.display_name.encode() not in page.content
    for other in (reporters[1], MembershipFactory(community=other_community, moderator=True)):
        _login(client, other)
        assert client.get(f"/communities/{slug}/moderation/").status_code == 404
        assert client.get(f"/communities/{slug}/moderation/audit/").status_code == 404
        assert client.post(f"/moderation/items/{Case.objects.get().pk}/action/",
                           {"action": "hide", "guideline": "be-kind", "reason": "x"}).status_code == 404
    assert Action.objects.count() == 0


def test_act_from_the_page_then_author_appeals_from_the_decision_page(client, post, reporters, moderator, author):
    report(reporters[0], post)
    slug = post.community.slug
    _login(client, moderator)
    response = client.post(f"/moderation/items/{Case.objects.get().pk}/action/",
                           {"action": "hide", "guideline": "honest", "reason": "Scam", "suspend_days": "",
                            "next": f"/communities/{slug}/moderation/"})
    assert response.status_code == 302
    action = Action.objects.get()
    _login(client, author)
    page = client.get(f"/moderation/decisions/{action.pk}/")
    assert page.status_code == 200 and b"Be honest" in page.content and b"Send appeal" in page.content
    assert client.post(f"/moderation/decisions/{action.pk}/", {"statement": ""}).status_code == 400
    assert client.post(f"/moderation/decisions/{action.pk}/", {"statement": "Real shop"}).status_code == 302
    assert Appeal.objects.get().statement == "Real shop"
    _login(client, reporters[0])
    assert client.get(f"/moderation/decisions/{action.pk}/").status_code == 404
    log = client.get(f"/communities/{slug}/moderation/log/")
    assert b"Be honest" in log.content and b"Appealed, pending" in log.content and b"Cheap watches" not in log.content


def test_suspended_member_sees_why_on_the_community_page_and_nothing_else(client, post, reporters, moderator, author):
    report(reporters[0], post)
    client.force_login(moderator.user)
    client.post(f"/moderation/items/{Case.objects.get().pk}/action/",
                {"action": "suspend", "guideline": "honest", "reason": "Repeated scams", "suspend_days": "3"})
    _login(client, author)
    slug = post.community.slug
    page = client.get(f"/communities/{slug}/")
    assert page.status_code == 403
    assert b"is suspended" in page.content and b"Repeated scams" in page.content and b"appeal" in page.content
    assert client.get(f"/communities/{slug}/feed/").status_code == 404
    assert client.post(f"/communities/{slug}/posts/new/", {"kind": "general", "title": "x", "body": "y"}).status_code == 404
    assert client.post(f"/posts/{post.pk}/comments/", {"body": "hi"}).status_code == 404
    # Once the period has passed, the community page is the feed again.
    Membership.objects.filter(pk=author.pk).update(suspended_until=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/communities/{slug}/").status_code == 200
    author.refresh_from_db()
    assert author.status == "verified"


def test_audit_page(client, post, reporters, moderator):
    report(reporters[0], post)
    client.force_login(moderator.user)
    client.post(f"/moderation/items/{Case.objects.get().pk}/action/",
                {"action": "remove", "guideline": "honest", "reason": "Scam"})
    page = client.get(f"/communities/{post.community.slug}/moderation/audit/")
    assert page.status_code == 200 and b"Buy my watches" in page.content and b"Scam" in page.content


def test_suspend_membership_service_refuses_past_dates(author):
    from neighbourly.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        membership_suspend(membership=author, until=timezone.now() - timedelta(days=1))


def test_moderation_home_links_per_role(client, moderator, member):
    client.force_login(moderator.user)
    page = client.get("/moderation/")
    assert b"Reports waiting" in page.content and b"Neighbours directory" in page.content
    client.force_login(member.user)
    page = client.get("/moderation/")
    assert b"Reports waiting" not in page.content and b"Moderation log" in page.content


def test_the_quick_report_on_a_post_page_goes_to_moderation_and_back(client, post, reporters):
    _login(client, reporters[0])
    page = client.get(f"/posts/{post.pk}/")
    assert b'action="/moderation/report/"' in page.content
    response = client.post("/moderation/report/", {"target_type": "post", "target_id": post.pk,
                                                    "reason": "Looks like a scam", "next": f"/posts/{post.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/posts/{post.pk}/"
    assert list(Report.objects.values_list("target_type", "target_id", "reason")) == [
        ("post", post.pk, "Looks like a scam")]


def test_a_bad_cursor_shows_the_first_page_with_a_message(client, post, reporters, moderator, assert_bad_cursor_page):
    report(reporters[0], post)
    slug = post.community.slug
    _login(client, moderator)
    assert b"Cheap watches" in assert_bad_cursor_page(client, f"/communities/{slug}/moderation/").content
    for page in ("log", "audit"):
        assert_bad_cursor_page(client, f"/communities/{slug}/moderation/{page}/")
