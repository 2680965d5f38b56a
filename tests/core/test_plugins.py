import pytest

from neighbourly.core.plugins import Registry


class Part:
    pass


class Other:
    pass


def test_a_registry_keeps_registration_order_and_looks_up_by_key():
    registry = Registry("things")
    first, second = Part(), Other()
    registry.register("b", first)
    registry.register("a", second)
    assert registry.keys() == ["b", "a"] and list(registry) == [first, second] and len(registry) == 2
    assert registry.get("a") is second and registry.get("missing") is None
    assert registry.items() == [("b", first), ("a", second)]


def test_registering_again_keeps_the_first_and_another_kind_under_a_taken_key_is_refused():
    registry = Registry("things")
    first = Part()
    registry.register("x", first)
    registry.register("x", Part())  # ready() of the same app again: no change
    assert registry.get("x") is first
    with pytest.raises(ValueError, match="things: 'x' is already registered"):
        registry.register("x", Other())
