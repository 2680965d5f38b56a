from neighbourly.core.plugins import moderation_targets
from neighbourly.moderation.models import TargetType
from neighbourly.moderation.targets import adapter, reportable_types


def test_every_reportable_type_has_an_adapter_registered_by_the_app_that_owns_it():
    assert sorted(moderation_targets.keys()) == sorted(TargetType.values)
    assert reportable_types() == list(TargetType.values)
    for target_type in TargetType.values:
        impl = adapter(target_type)
        assert all(callable(getattr(impl, name)) for name in ("resolve", "describe", "hide", "unhide"))


def test_an_unknown_type_has_no_adapter():
    assert adapter("poem") is None
