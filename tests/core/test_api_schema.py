"""The OpenAPI document names every schema once: two classes with one name (feed's and chat's
`AuthorOut`) share one component, so the document described chat members with the feed's
author fields and clients generated from it could not read /api/v1/conversations."""

import importlib
import pkgutil

from ninja import Schema

import neighbourly


def _api_schema_classes() -> list[type]:
    classes = []
    for module_info in pkgutil.walk_packages(neighbourly.__path__, "neighbourly."):
        if not module_info.name.endswith((".schemas", ".api")):
            continue
        module = importlib.import_module(module_info.name)
        classes += [value for value in vars(module).values()
                    if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__]
    return classes


def test_every_api_schema_class_has_its_own_name():
    by_name: dict[str, list[str]] = {}
    for cls in _api_schema_classes():
        by_name.setdefault(cls.__name__, []).append(cls.__module__)
    shared = {name: modules for name, modules in by_name.items() if len(modules) > 1}
    assert not shared, f"schema names used by more than one class: {shared}"
