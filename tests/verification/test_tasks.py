import pytest

from neighbourly.verification.tasks import claims_sweep_abandoned_task

pytestmark = pytest.mark.django_db


def test_sweep_task_runs_with_nothing_to_do():
    assert claims_sweep_abandoned_task.delay().get() == 0


def test_sweep_is_scheduled(settings):
    assert settings.CELERY_BEAT_SCHEDULE["verification-sweep-abandoned-claims"]["task"] == (
        "neighbourly.verification.tasks.claims_sweep_abandoned_task"
    )
