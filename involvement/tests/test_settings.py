import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from involvement.env import env_bool, env_database, env_fernet_key, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value,expected", [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False)])
def test_env_bool_reads_common_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("FLAG", value)
    assert env_bool("FLAG") is expected


def test_env_bool_fails_loudly_on_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false"):
        env_bool("FLAG")


def test_env_int_fails_loudly_on_a_bad_number(monkeypatch):
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be a whole number"):
        env_int("COUNT")
    monkeypatch.setenv("COUNT", "-1")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env_int("COUNT", minimum=0)


def test_a_missing_required_variable_is_named(monkeypatch):
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="NOT_SET_ANYWHERE"):
        env_str("NOT_SET_ANYWHERE")


def test_env_list_and_database(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("DB", "postgres://portal:secret@db:5432/portal")
    config = env_database("DB")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "portal"
    monkeypatch.setenv("DB", "nosuchdb://x")
    with pytest.raises(ImproperlyConfigured):
        env_database("DB")


def _production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "MFA_ENCRYPTION_KEY",
            "VAR_DIR",
            "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests; check --deploy warns on it
        }
    }
    env.update(
        DJANGO_SETTINGS_MODULE="involvement.settings.production",
        SECRET_KEY="a-production-like-secret-" + "x" * 40 + "-0123456789",
        MFA_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        DATABASE_URL="postgres://portal@127.0.0.1:5432/portal",
        REDIS_URL="redis://127.0.0.1:6379/0",
        ALLOWED_HOSTS="portal.example.nhs.uk",
        PORTAL_BASE_URL="https://portal.example.nhs.uk",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_redis():
    result = _manage("check", env=_production_env(REDIS_URL=None))
    assert result.returncode != 0
    assert "Set REDIS_URL in production" in result.stderr


def test_production_settings_refuse_to_start_without_the_sites_https_address():
    result = _manage("check", env=_production_env(PORTAL_BASE_URL=None))
    assert result.returncode != 0
    assert "PORTAL_BASE_URL" in result.stderr


def test_production_settings_refuse_debug():
    result = _manage("check", env=_production_env(DEBUG="true"))
    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr


def _debug_setting(settings_module: str, tmp_path, **env_overrides) -> str:
    """settings.DEBUG as a fresh process sees it: pytest-django forces DEBUG off in this one."""
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, VAR_DIR=str(tmp_path), **env_overrides)
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("settings_module", ["involvement.settings.development", "involvement.settings.test"])
def test_debug_is_off_unless_set(settings_module, tmp_path):
    assert _debug_setting(settings_module, tmp_path) == "False"
    assert _debug_setting(settings_module, tmp_path, DEBUG="true") == "True"


def test_debug_is_off_in_production_when_unset():
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_env_fernet_key_accepts_a_real_key(monkeypatch):
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("SOME_KEY", f"  {key}\n")
    assert env_fernet_key("SOME_KEY") == key


# The last is a real key with two characters cut off (fixed, so every test process collects the same tests).
@pytest.mark.parametrize("value", ["", "   ", "not-a-key", "c2hvcnQ=", "bbWiHjHigSVmZDoVwd0-rAqJBCUXH24uo-5iJsJ59G"])
def test_env_fernet_key_fails_loudly_on_an_empty_or_malformed_key(monkeypatch, value):
    monkeypatch.setenv("SOME_KEY", value)
    with pytest.raises(ImproperlyConfigured, match="SOME_KEY .*Fernet key"):
        env_fernet_key("SOME_KEY")


@pytest.mark.parametrize("value", ["", "change-me"], ids=["empty", "malformed"])
def test_production_refuses_to_start_with_a_bad_mfa_encryption_key(value):
    result = _manage("check", env=_production_env(MFA_ENCRYPTION_KEY=value))
    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEY" in result.stderr
    assert "Fernet key" in result.stderr


def test_production_refuses_to_start_without_an_mfa_encryption_key():
    result = _manage("check", env=_production_env(MFA_ENCRYPTION_KEY=None))
    assert result.returncode != 0
    assert "Set the environment variable MFA_ENCRYPTION_KEY" in result.stderr


def test_seed_demo_refuses_to_run_with_production_settings(tmp_path):
    database = tmp_path / "portal.sqlite3"
    result = _manage("seed_demo", env=_production_env(DATABASE_URL=f"sqlite:///{database}"))
    assert result.returncode != 0
    assert "seed_demo" in result.stderr and "DEMO_TOOLS_ENABLED" in result.stderr
    assert not database.exists(), "seed_demo touched the database before refusing"


def test_demo_code_refuses_to_run_with_production_settings():
    result = _manage("demo_code", env=_production_env())
    assert result.returncode != 0
    assert "DEMO_TOOLS_ENABLED" in result.stderr
    assert not re.search(r"^\d{6}$", result.stdout, re.MULTILINE), "a two-step code was printed"


def test_times_are_stored_in_utc_and_shown_in_london(settings):
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "Europe/London"


def _documented_in_env_example() -> set[str]:
    return set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))


def test_every_environment_variable_the_settings_read_is_documented_in_env_example():
    read = set()
    for path in [*(ROOT / "involvement" / "settings").glob("*.py"), ROOT / "involvement" / "schedule.py"]:
        read |= set(re.findall(r"env_(?:str|bool|int|list|database|fernet_key)\(\s*[\"']([A-Z_]+)", path.read_text()))
    assert read, "found no settings read from the environment"
    assert {"MFA_ENCRYPTION_KEY", "SCHEDULER_HEARTBEAT_SECONDS", "DEMO_TOOLS_ENABLED"} <= read
    assert read - _documented_in_env_example() == set()


# $NAME or ${NAME...}, but not compose's $$NAME (a literal $ for the container's shell).
SHELL_VARIABLE = re.compile(r"(?<!\$)\$(?:\{([A-Z_][A-Z0-9_]*)|([A-Z_][A-Z0-9_]*))")


def test_every_variable_compose_and_the_procfiles_read_is_documented_in_env_example():
    read = set()
    for path in [ROOT / "docker-compose.yml", *ROOT.glob("Procfile*")]:
        read |= {braced or bare for braced, bare in SHELL_VARIABLE.findall(path.read_text())}
    assert {"POSTGRES_PASSWORD", "PORT", "WEB_CONCURRENCY"} <= read, read
    assert read - _documented_in_env_example() == set()


def test_the_variable_scanner_ignores_compose_escapes():
    found = {a or b for a, b in SHELL_VARIABLE.findall('x $$HOSTNAME ${PORT:-8000} $HOME "$$POSTGRES_USER"')}
    assert found == {"PORT", "HOME"}
