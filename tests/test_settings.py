"""tidtam's settings: production unless asked otherwise, and deployable as documented.

Settings are read once per process, so each case runs ``tidtam`` in a fresh
interpreter with exactly the environment under test (nothing inherited
from the test run but the path to Python and the database).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEPLOY_ENV = REPO / "deploy" / "tidtam.env"

SHOW = ("import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({k: getattr(settings, k, None) for k in ("
        "'DEBUG', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_PROXY_SSL_HEADER', "
        "'SECRET_KEY', 'CSRF_TRUSTED_ORIGINS', 'ALLOWED_HOSTS')}))")


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"),
            "DJANGO_SETTINGS_MODULE": "tidtam.settings", "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, *args], env={**base, **env}, cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def _settings(env: dict[str, str]) -> dict:
    out = _run(env, "-c", SHOW)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _deploy_env(tmp_path: Path) -> dict[str, str]:
    """deploy/tidtam.env as an operator would fill it in, on this machine's paths."""
    env = {}
    for line in DEPLOY_ENV.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    env["TIDTAM_SECRET_KEY"] = secrets.token_urlsafe(50)
    env["TIDTAM_DATA_DIR"] = str(tmp_path / "data")
    env["TIDTAM_STATIC_ROOT"] = str(tmp_path / "static")
    env["TIDTAM_FONT_CACHE"] = str(tmp_path / "fonts")
    # The test's own database instead of the example's server: check --deploy
    # inspects it (SQLite must be in WAL mode).
    db_url = os.environ.get("DATABASE_URL", "")
    env["DATABASE_URL"] = db_url if db_url.startswith("postgres") else (
        f"sqlite:///{tmp_path / 'data' / 'tidtam.sqlite3'}")
    return env


def test_without_configuration_tidtam_refuses_to_start_and_says_why_in_thai() -> None:
    out = _run({}, "-m", "tidtam.cli", "check")
    assert out.returncode != 0
    assert "ไม่ได้ตั้ง TIDTAM_SECRET_KEY" in out.stderr
    assert "TIDTAM_DEBUG=1" in out.stderr
    assert "Traceback" not in out.stderr


def test_production_is_the_default_with_https_on() -> None:
    key = secrets.token_urlsafe(50)
    s = _settings({"TIDTAM_SECRET_KEY": key})
    assert s["DEBUG"] is False
    assert s["SECRET_KEY"] == key
    assert s["SECURE_SSL_REDIRECT"] and s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] == 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["SECURE_PROXY_SSL_HEADER"] is None  # trusted only when asked


def test_debug_is_asked_for_explicitly_and_keeps_the_demo_key() -> None:
    s = _settings({"TIDTAM_DEBUG": "1"})
    assert s["DEBUG"] is True
    assert s["SECRET_KEY"] == "tidtam-demo-key-not-for-production"
    assert not s["SECURE_SSL_REDIRECT"] and not s["SESSION_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] == 0


def test_each_https_setting_comes_from_the_environment(tmp_path: Path) -> None:
    key_file = tmp_path / "secret_key"
    key_file.write_text("k" * 60 + "\n", encoding="utf-8")
    s = _settings({"TIDTAM_SECRET_KEY_FILE": str(key_file), "TIDTAM_HTTPS": "0",
                   "TIDTAM_PROXY_SSL_HEADER": "1", "TIDTAM_HSTS_SECONDS": "600",
                   "TIDTAM_CSRF_TRUSTED_ORIGINS": "https://a.example, https://b.example",
                   "TIDTAM_ALLOWED_HOSTS": "a.example"})
    assert s["SECRET_KEY"] == "k" * 60
    assert not s["SECURE_SSL_REDIRECT"] and not s["SESSION_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] == 600
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://a.example", "https://b.example"]
    bad = _run({"TIDTAM_SECRET_KEY": "x" * 60, "TIDTAM_HTTPS": "yes"}, "-m", "tidtam.cli",
               "check")
    assert bad.returncode != 0 and "TIDTAM_HTTPS ต้องเป็น 0 หรือ 1" in bad.stderr


def test_check_deploy_is_clean_under_the_documented_configuration(tmp_path: Path) -> None:
    env = _deploy_env(tmp_path)
    (tmp_path / "data").mkdir()
    collect = _run(env, "-m", "tidtam.cli", "collectstatic", "--noinput", "-v", "0")
    assert collect.returncode == 0, collect.stderr
    out = _run(env, "-m", "tidtam.cli", "check", "--deploy", "--fail-level", "WARNING")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def test_check_deploy_fails_when_https_is_turned_off_or_static_files_not_collected(
        tmp_path: Path) -> None:
    env = {**_deploy_env(tmp_path), "TIDTAM_HTTPS": "0"}
    out = _run(env, "-m", "tidtam.cli", "check", "--deploy", "--fail-level", "WARNING")
    assert out.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016",
                  "tidtam.E001"):
        assert check in out.stderr, check
