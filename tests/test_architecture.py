"""The declared layers (docs/architecture.md, .importlinter) hold: a lower layer never imports a
higher one, at module level or inside a function. A violation fails here with the import named."""

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
