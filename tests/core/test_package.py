"""A real package: the wheel, installed into a fresh venv (not editable), serves every main page
from a temporary working directory and keeps its data in ./var there, not in site-packages."""

import os
from pathlib import Path
import shutil
import subprocess
import sys
import sysconfig
import venv

import pytest

from tests.core.test_serve import fetch, free_port, stop, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("neighbourly", "frontend_templates", "pyproject.toml", "setup.py", "README.md")

pytestmark = pytest.mark.slow  # builds a wheel (setuptools from the package index) and seeds the demo: ~1-2 min


def build_wheel(tmp_path: Path) -> Path:
    """Build from a copy of the sources, so the build leaves nothing in the working tree."""
    src = tmp_path / "src"
    src.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(path, src / name)
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                             str(src)], capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return next((tmp_path / "dist").glob("neighbourly-*.whl"))


def fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    """A new venv with only our wheel; its dependencies come from this interpreter's site-packages
    through a .pth file (appended to sys.path, so the wheel's own neighbourly comes first)."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    (site / "shared-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                             str(wheel)], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return env_dir


def test_wheel_installed_in_a_fresh_venv_serves_the_main_pages(tmp_path):
    wheel = build_wheel(tmp_path)
    env_dir = fresh_venv(tmp_path, wheel)
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "PYTHONPATH",
                        "NEIGHBOURLY_DATA_DIR", "SITE_URL", "NEIGHBOURLY_BASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    where = subprocess.check_output([str(env_dir / "bin" / "python"), "-c",
                                     "import neighbourly; print(neighbourly.__file__)"], cwd=tmp_path, env=env, text=True)
    assert where.startswith(str(env_dir)), where  # the installed copy, not the source tree

    cwd = tmp_path / "run"
    cwd.mkdir()
    port = free_port()
    process = subprocess.Popen([str(env_dir / "bin" / "neighbourly"), "serve", "--port", str(port)], cwd=cwd, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_until_up(process, port, timeout=240)  # a busy CI machine: build, migrate and seed
        for path in ("/", "/login/", "/signup/", "/api/v1/openapi.json", "/api/v1/docs", "/static/css/app.css"):
            assert fetch(f"http://127.0.0.1:{port}{path}")[0] == 200, path
        assert b"Log in" in fetch(f"http://127.0.0.1:{port}/login/")[1]
    finally:
        out = stop(process)
    assert (cwd / "var" / "neighbourly.sqlite3").exists() and (cwd / "var" / "static").is_dir(), out
    assert not (Path(where).parent.parent / "var").exists()  # nothing written into site-packages
