import pytest

from neighbourly.communities.models import Community
from neighbourly.demo import demo_seed
from neighbourly.moderation import selectors
from neighbourly.moderation.models import Appeal

pytestmark = pytest.mark.django_db


def test_demo_has_a_queue_and_a_log(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.MEDIA_ROOT = tmp_path
    demo_seed()
    millbrook = Community.objects.get(slug="millbrook")
    items, _ = selectors.case_queue(community=millbrook)
    assert sorted((i.case.target_type, i.case.reporter_count) for i in items) == [("comment", 1), ("post", 3)]
    log, _ = selectors.action_log_for_members(community=millbrook)
    assert sorted(a.kind for a in log) == ["dismiss", "hide", "warn"]
    assert Appeal.objects.get().status == "pending"
