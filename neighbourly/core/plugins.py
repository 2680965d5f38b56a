"""How an app contributes to a capability another app runs: one mechanism for all of them.

A lower layer (see docs/architecture.md) never imports a higher one, so a capability that needs every
app's part (a member's privacy export, the moderation queue, the demo, the feed's sources) defines a
`Registry` here and each contributing app registers its part from its `AppConfig.ready()`:

    # neighbourly/feed/apps.py
    def ready(self):
        from neighbourly.core import plugins
        from neighbourly.feed import moderation, privacy
        plugins.privacy_handlers.register("feed", privacy)
        plugins.moderation_targets.register("post", moderation.POST)

Registration follows INSTALLED_APPS order, so the order is the same on every start. The protocols say
what a part must offer; the capability's owner (moderation, the shell's privacy service, …) only
ever talks to the registry.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Named parts in registration order. Registering a key again with the same kind of part keeps
    the first; another kind of part under a taken key is a programming error."""

    def __init__(self, name: str):
        self.name = name
        self._parts: dict[str, T] = {}

    def register(self, key: str, part: T) -> None:
        existing = self._parts.get(key)
        if existing is not None and existing is not part and type(existing) is not type(part):
            raise ValueError(f"{self.name}: {key!r} is already registered")
        self._parts.setdefault(key, part)

    def get(self, key: str) -> T | None:
        return self._parts.get(key)

    def keys(self) -> list[str]:
        return list(self._parts)

    def items(self) -> list[tuple[str, T]]:
        return list(self._parts.items())

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._parts.values()))

    def __len__(self) -> int:
        return len(self._parts)


# -- privacy: export and erase a member's data ------------------------------------------------
class PrivacyHandler(Protocol):
    def export_user_data(self, *, user) -> dict: ...

    def erase_user_data(self, *, user, keep_content: bool) -> None: ...


# -- moderation: what can be reported ---------------------------------------------------------
@dataclass
class TargetInfo:
    """One reported item as moderators see it in the queue."""

    author_id: int | None
    title: str  # e.g. the post title, or "Comment on 'Lost cat'"
    text: str  # the content itself (moderators only)
    url: str = ""  # where it lives, for moderators
    hidden: bool = False


class ModerationTarget(Protocol):
    def resolve(self, *, viewer, target_id: int) -> int: ...  # community id; NotFound if not visible

    def describe(self, *, ids) -> dict[int, TargetInfo]: ...  # batched: a fixed number of queries

    def hide(self, *, target_id: int) -> None: ...

    def unhide(self, *, target_id: int, original: str = "") -> None: ...


# -- the demo neighbourhood (built by neighbourly/demo.py) ----------------------------------------
DEMO_DOMAIN = "demo.neighbourly.test"  # every demo account's e-mail domain: synthetic, never real data
DEMO_PASSWORD = "kettle-on-sunday"


@dataclass
class DemoContext:
    """What the base demo built, for the apps that add to it."""

    users: dict  # local part of the e-mail ("resident", "moderator", …) -> User
    communities: dict  # slug -> Community
    memberships: dict  # local part -> Membership


DemoSeeder = Callable[[DemoContext], None]


privacy_handlers: Registry[PrivacyHandler] = Registry("privacy handlers")
moderation_targets: Registry[ModerationTarget] = Registry("moderation targets")
demo_seeders: Registry[DemoSeeder] = Registry("demo seeders")
