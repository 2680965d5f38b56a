"""Secure by default: DEBUG off unless asked for, `check --deploy` clean in every mode, HTTPS-only
settings exactly when the site is https://, the data dir in the working directory."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLEARED = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL",
           "SITE_URL", "NEIGHBOURLY_BASE_URL", "NEIGHBOURLY_DATA_DIR", "PROXY_COUNT", "DJANGO_SETTINGS_MODULE")


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update({"DJANGO_SETTINGS_MODULE": "neighbourly.settings", "PYTHONPATH": str(ROOT)}, **extra)
    return env


def run_manage(*args, env_extra, tmp_path):
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args],
                          env=clean_env(NEIGHBOURLY_DATA_DIR=str(tmp_path), **env_extra), capture_output=True,
                          text=True, cwd=ROOT, timeout=120, check=False)


READ_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: str(getattr(settings, name, None)) for name in (
    "DEBUG", "DATA_DIR", "SITE_URL", "NEIGHBOURLY_BASE_URL", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "ALLOWED_HOSTS")}))
"""


def read_settings(cwd, **env_extra) -> dict:
    result = subprocess.run([sys.executable, "-c", READ_SETTINGS], env=clean_env(**env_extra), cwd=cwd,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_debug_is_off_and_the_data_dir_is_var_of_the_working_directory(tmp_path):
    seen = read_settings(tmp_path)
    assert seen["DEBUG"] == "False"
    assert seen["DATA_DIR"] == str((tmp_path / "var").resolve())
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0  # generated, private
    assert seen["SESSION_COOKIE_SECURE"] == "False" and seen["SECURE_SSL_REDIRECT"] == "False"  # http://localhost
    assert read_settings(tmp_path, DEBUG="true")["DEBUG"] == "True"


def test_site_url_defaults_and_the_old_name_still_works(tmp_path):
    assert read_settings(tmp_path)["NEIGHBOURLY_BASE_URL"] == "http://localhost:8000"
    old = read_settings(tmp_path, NEIGHBOURLY_BASE_URL="https://old.example.org/")
    assert old["SITE_URL"] == old["NEIGHBOURLY_BASE_URL"] == "https://old.example.org"
    new = read_settings(tmp_path, SITE_URL="https://hood.example.org", SECRET_KEY="k" * 60)
    assert new["NEIGHBOURLY_BASE_URL"] == "https://hood.example.org"
    assert (new["SESSION_COOKIE_SECURE"], new["CSRF_COOKIE_SECURE"], new["SECURE_SSL_REDIRECT"]) == ("True",) * 3
    assert new["SECURE_HSTS_SECONDS"] == "31536000" and "hood.example.org" in new["ALLOWED_HOSTS"]


def test_check_deploy_passes_in_the_default_mode(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra={}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env_extra={"SECRET_KEY": "x" * 30 + "production-secret-key-0123456789", "SITE_URL": "https://hood.example.org",
                   "ALLOWED_HOSTS": "hood.example.org", "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3")},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "silenced" not in result.stdout or "(0 silenced)" in result.stdout  # nothing hidden on https


def test_scale_out_refuses_a_missing_secret_key_and_wildcard_hosts(tmp_path):
    missing = run_manage("check", env_extra={"REDIS_URL": "redis://127.0.0.1:6379/9"}, tmp_path=tmp_path)
    assert missing.returncode != 0 and "SECRET_KEY must be set" in missing.stderr
    wildcard = run_manage("check", env_extra={"SECRET_KEY": "s" * 60, "ALLOWED_HOSTS": "*"}, tmp_path=tmp_path)
    assert wildcard.returncode != 0 and "'*' is refused" in wildcard.stderr


def test_argon2_is_the_default_hasher():
    from neighbourly import settings

    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
