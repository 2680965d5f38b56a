"""The declared layers (docs/architecture.md, .importlinter) hold: a lower layer never imports a
higher one, at module level or inside a function. A violation fails here with the import named."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from neighbourly.core import plugins

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.fail("import-linter is not installed: pip install -e '.[test]'")
    result = subprocess.run([str(lint), "--config", str(ROOT / ".importlinter")], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_the_contract_has_no_ignored_imports():
    assert "ignore_imports" not in (ROOT / ".importlinter").read_text()


def test_every_app_registers_its_parts_from_ready():
    apps = ["accounts", "communities", "notifications", "verification", "realtime", "feed", "moderation", "groups",
            "merchants"]
    assert plugins.privacy_handlers.keys() == apps  # INSTALLED_APPS order: erasure runs in reverse
    assert plugins.demo_seeders.keys() == ["verification", "realtime", "feed", "moderation", "groups", "merchants"]
    for handler in plugins.privacy_handlers:
        assert callable(handler.export_user_data) and callable(handler.erase_user_data)


def _module_level_imports(path: Path) -> set[str]:
    """What a module imports when it is loaded (top-level statements only, not function bodies)."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


@pytest.mark.parametrize("app", ["feed", "notifications"])
def test_services_and_tasks_do_not_import_each_other_at_load(app):
    """A service imports its app's tasks at module level (to queue them); a task imports its service
    inside its body. So loading either module never loops back into the other."""
    services = [ROOT / "neighbourly" / app / "services.py", *(ROOT / "neighbourly" / app / "services").glob("*.py")]
    services = [p for p in services if p.exists()]
    assert any(f"neighbourly.{app}.tasks" in _module_level_imports(p) for p in services)
    task_imports = _module_level_imports(ROOT / "neighbourly" / app / "tasks.py")
    assert [name for name in task_imports if name.startswith("neighbourly.")] == []
