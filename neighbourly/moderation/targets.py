"""What can be reported, and how moderation reaches into the app that owns it.

Each reportable type has an adapter in its own app (`<app>/moderation.py`, a
`neighbourly.core.plugins.ModerationTarget`), registered from that app's AppConfig.ready() under its
`TargetType` value. A type no installed app registered cannot be reported.
"""

from neighbourly.core.plugins import ModerationTarget, TargetInfo, moderation_targets
from neighbourly.moderation.models import TargetType

__all__ = ["TargetInfo", "TargetType", "adapter", "describe_many", "reportable_types"]


def adapter(target_type: str) -> ModerationTarget | None:
    """The adapter for a type, or None when that type cannot be reported here."""
    return moderation_targets.get(target_type)


def reportable_types() -> list[str]:
    return [t for t in TargetType.values if adapter(t) is not None]


def describe_many(pairs) -> dict[tuple[str, int], TargetInfo]:
    """(type, id) pairs -> TargetInfo, one batch per type."""
    by_type: dict[str, list[int]] = {}
    for target_type, target_id in pairs:
        by_type.setdefault(target_type, []).append(target_id)
    found = {}
    for target_type, ids in by_type.items():
        impl = adapter(target_type)
        if impl is None:
            continue
        for target_id, info in impl.describe(ids=ids).items():
            found[(target_type, target_id)] = info
    return found
