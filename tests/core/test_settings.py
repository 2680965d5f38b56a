"""Production settings pass Django's deployment checks; the embedded default needs nothing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({"DJANGO_SETTINGS_MODULE": "neighbourly.settings", "NEIGHBOURLY_DATA_DIR": str(tmp_path)}, **env_extra)
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env_extra={"DEBUG": "0", "SECRET_KEY": "x" * 30 + "production-secret-key-0123456789",
                   "ALLOWED_HOSTS": "neighbourly.example.org"},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_missing_secret_key_and_wildcard_hosts(tmp_path):
    missing = run_manage("check", env_extra={"DEBUG": "0", "ALLOWED_HOSTS": "example.org"}, tmp_path=tmp_path)
    assert missing.returncode != 0 and "SECRET_KEY must be set" in missing.stderr
    wildcard = run_manage("check", env_extra={"DEBUG": "0", "SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "*"},
                          tmp_path=tmp_path)
    assert wildcard.returncode != 0 and "'*' is refused" in wildcard.stderr


def test_argon2_is_the_default_hasher():
    from neighbourly import settings

    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
