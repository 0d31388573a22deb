"""Unsafe or wrong settings: production refuses them, and a wrong number stops every
environment, each with one line that names the setting, all of them at once, no traceback.

The ``flask`` command and gunicorn are run as an operator runs them, in a process of their
own with the environment set; the rest builds the app in this process.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import config
from interviewer import create_app
from interviewer.extensions import limiter

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GOOD_KEY = "k" * 32
#: Every setting this module sets, cleared before each test so the caller's shell cannot leak in.
SETTINGS = (
    "SECRET_KEY",
    "DATABASE_URL",
    "RATELIMIT_STORAGE_URI",
    "RATELIMIT_ENABLED",
    "ALLOW_SQLITE_IN_PRODUCTION",
    "PER_PAGE",
    "TRUSTED_PROXIES",
    "SMTP_PORT",
    "SMTP_TIMEOUT",
    "SQLITE_BUSY_TIMEOUT",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "SENTRY_DSN",
)
SAFE_PRODUCTION = {
    "SECRET_KEY": GOOD_KEY,
    "DATABASE_URL": "postgresql+psycopg://app@db.internal/interviewer",
    "RATELIMIT_STORAGE_URI": "redis://cache.internal:6379",
}
#: A wrong value for each numeric setting, and the line that names it.
WRONG_NUMBERS = {
    "PER_PAGE": ("ten", "PER_PAGE='ten' is not a whole number of at least 1"),
    "TRUSTED_PROXIES": ("one", "TRUSTED_PROXIES='one' is not a whole number of 0 or more"),
    "SMTP_PORT": ("smtp", "SMTP_PORT='smtp' is not a port number (1 to 65535)"),
    "SMTP_TIMEOUT": ("30s", "SMTP_TIMEOUT='30s' is not a number of seconds above 0"),
    "SQLITE_BUSY_TIMEOUT": (
        "1m",
        "SQLITE_BUSY_TIMEOUT='1m' is not a number of seconds (0 or more)",
    ),
    "SESSION_IDLE_MINUTES": (
        "2h",
        "SESSION_IDLE_MINUTES='2h' is not a whole number of minutes (1 or more)",
    ),
    "SESSION_MAX_HOURS": (
        "1d",
        "SESSION_MAX_HOURS='1d' is not a whole number of hours (1 or more)",
    ),
    "REMEMBER_DAYS": ("ever", "REMEMBER_DAYS='ever' is not a whole number of days (1 or more)"),
}


@pytest.fixture
def production(monkeypatch):
    """A safe production environment; the config's own values are put back afterwards."""
    for name in config.ProductionConfig.READ_AT_START:
        monkeypatch.setattr(config.ProductionConfig, name, getattr(config.ProductionConfig, name))
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    for name, value in SAFE_PRODUCTION.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def refusal(build=lambda: config.ProductionConfig.validate()) -> list[str]:
    with pytest.raises(config.ConfigError) as error:
        build()
    return error.value.problems


def run(command: list[str], env: dict[str, str], timeout: float = 60):
    """Run ``command`` from the project folder with only ``env`` (and PATH) set."""
    clean = {key: value for key, value in os.environ.items() if key not in SETTINGS}
    clean.update({"FLASK_APP": "interviewer", "INTERVIEWER_ENV": "development", **env})
    return subprocess.run(
        command, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=timeout
    )


# --- production refuses unsafe settings ------------------------------------------------------


def test_production_starts_with_safe_settings(production, app, tmp_path):
    built = create_app(
        "production",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'extra.db'}",
        RATELIMIT_STORAGE_URI="memory://",
    )
    limiter.init_app(app)

    assert built.config["SECRET_KEY"] == GOOD_KEY
    assert config.ProductionConfig.RATELIMIT_STORAGE_URI == "redis://cache.internal:6379"


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        ("SECRET_KEY", "x", "SECRET_KEY is 1 bytes long; production needs at least 32"),
        ("SECRET_KEY", "é" * 15, "SECRET_KEY is 30 bytes long"),
        ("SECRET_KEY", "", "SECRET_KEY is not set"),
        ("DATABASE_URL", "sqlite:////srv/interviewer.db", "DATABASE_URL is a SQLite file"),
        ("DATABASE_URL", "SQLite+pysqlite:///app.db", "DATABASE_URL is a SQLite file"),
        ("DATABASE_URL", " ", "DATABASE_URL is not set"),
        ("RATELIMIT_STORAGE_URI", "memory://", "RATELIMIT_STORAGE_URI is memory://"),
    ],
)
def test_production_refuses_an_unsafe_setting_with_one_line_naming_it(
    production, name, value, line
):
    production.setenv(name, value)

    problems = refusal()

    assert len(problems) == 1
    assert problems[0].startswith(line)
    assert "\n" not in problems[0]


def test_production_counts_rate_limits_in_memory_when_no_storage_is_set(production):
    production.delenv("RATELIMIT_STORAGE_URI")

    assert [line.split(":")[0] for line in refusal()] == ["RATELIMIT_STORAGE_URI is memory"]


def test_the_refusal_never_prints_the_secret_key(production):
    production.setenv("SECRET_KEY", "hunter2")

    assert "hunter2" not in str(refusal())


def test_production_runs_on_sqlite_only_when_allowed(production):
    production.setenv("DATABASE_URL", "sqlite:////srv/interviewer.db")
    production.setenv("ALLOW_SQLITE_IN_PRODUCTION", "1")

    config.ProductionConfig.validate()

    assert config.ProductionConfig.SQLALCHEMY_DATABASE_URI == "sqlite:////srv/interviewer.db"


def test_memory_storage_is_accepted_when_rate_limits_are_off(production):
    production.setenv("RATELIMIT_STORAGE_URI", "memory://")
    production.setenv("RATELIMIT_ENABLED", "false")

    config.ProductionConfig.validate()


def test_production_lists_every_unsafe_setting_at_once(production):
    production.setenv("SECRET_KEY", "short")
    production.setenv("DATABASE_URL", "sqlite:///instance/interviewer.db")
    production.setenv("RATELIMIT_STORAGE_URI", "memory://")

    with pytest.raises(config.ConfigError) as error:
        create_app("production")

    assert [line.split(" ")[0] for line in error.value.problems] == [
        "SECRET_KEY",
        "DATABASE_URL",
        "RATELIMIT_STORAGE_URI",
    ]
    message = str(error.value).splitlines()
    assert message[0] == "interviewer cannot start with these settings:"
    assert message[1:] == [f"  {line}" for line in error.value.problems]


def test_development_and_testing_need_none_of_the_production_settings(production):
    for name in SAFE_PRODUCTION:
        production.delenv(name)

    config.DevelopmentConfig.validate()
    config.TestingConfig.validate()


# --- numbers, in every environment -----------------------------------------------------------

NUMBERS_SCRIPT = """
import config
try:
    config.get_config().validate()
except config.ConfigError as error:
    print("\\n".join(error.problems))
else:
    print("accepted", config.get_config().PER_PAGE, config.get_config().SMTP_TIMEOUT)
"""


@pytest.mark.parametrize("environment", ["development", "testing", "production"])
def test_a_non_number_is_refused_in_every_environment(environment):
    env = {"INTERVIEWER_ENV": environment, **SAFE_PRODUCTION}
    env.update({name: value for name, (value, _) in WRONG_NUMBERS.items()})

    result = run([sys.executable, "-c", NUMBERS_SCRIPT], env, timeout=30)

    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.splitlines()) == sorted(line for _, line in WRONG_NUMBERS.values())


def test_numbers_are_read_as_numbers():
    env = {"INTERVIEWER_ENV": "testing", "PER_PAGE": " 40 ", "SMTP_TIMEOUT": "2.5"}

    result = run([sys.executable, "-c", NUMBERS_SCRIPT], env, timeout=30)

    assert result.stdout.split() == ["accepted", "40", "2.5"], result.stderr


BOUNDS_SCRIPT = """
import importlib, json, os, sys
import config
results = []
for name, value in json.loads(sys.argv[1]):
    os.environ[name] = value
    importlib.reload(config)
    read = getattr(config.Config, name)
    results.append(str(read) if isinstance(read, config.Invalid) else read)
    del os.environ[name]
print(json.dumps(results))
"""
BOUNDS = [
    ("PER_PAGE", "1", 1),
    ("PER_PAGE", "0", None),
    ("PER_PAGE", "2.5", None),
    ("PER_PAGE", "1e3", None),
    ("TRUSTED_PROXIES", "0", 0),
    ("TRUSTED_PROXIES", "-1", None),
    ("SMTP_PORT", "465", 465),
    ("SMTP_PORT", "65536", None),
    ("SMTP_PORT", "0", None),
    ("SMTP_TIMEOUT", "0.5", 0.5),
    ("SMTP_TIMEOUT", "0", None),
    ("SMTP_TIMEOUT", "nan", None),
    ("SMTP_TIMEOUT", "inf", None),
    ("SQLITE_BUSY_TIMEOUT", "0", 0.0),
    ("SQLITE_BUSY_TIMEOUT", "-1", None),
    ("SESSION_IDLE_MINUTES", "1", 1),
    ("SESSION_IDLE_MINUTES", "0", None),
    ("SESSION_MAX_HOURS", "0", None),
    ("REMEMBER_DAYS", "30", 30),
    ("REMEMBER_DAYS", "0", None),
]


def test_the_bounds_of_each_number():
    """Each value read into a fresh ``config`` module, as at the start of a process."""
    cases = json.dumps([[name, value] for name, value, _ in BOUNDS])

    result = run([sys.executable, "-c", BOUNDS_SCRIPT, cases], {}, timeout=30)

    assert result.returncode == 0, result.stderr
    expected = [
        accepted
        if accepted is not None
        else f"{name}={value!r} is not {WRONG_NUMBERS[name][1].partition(' is not ')[2]}"
        for name, value, accepted in BOUNDS
    ]
    assert json.loads(result.stdout) == expected


@pytest.mark.parametrize(("name", "value"), [("LOG_LEVEL", "loud"), ("LOG_FORMAT", "yaml")])
def test_a_word_setting_outside_its_choices_is_refused(name, value):
    result = run([sys.executable, "-c", NUMBERS_SCRIPT], {name: value}, timeout=30)

    assert result.stdout.strip().startswith(f"{name}={value!r} is not one of "), result.stderr


# --- the commands an operator runs -----------------------------------------------------------


def test_flask_prints_every_refused_setting_and_exits_without_a_traceback():
    env = {
        "INTERVIEWER_ENV": "production",
        "SECRET_KEY": "short",
        "DATABASE_URL": "sqlite:///instance/interviewer.db",
        "PER_PAGE": "ten",
    }

    result = run([str(BIN / "flask"), "routes"], env)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: interviewer cannot start with these settings:"
    assert [line.split()[0] for line in lines[1:]] == [
        "PER_PAGE='ten'",
        "SECRET_KEY",
        "DATABASE_URL",
        "RATELIMIT_STORAGE_URI",
    ]
    assert result.stdout == ""


def test_flask_in_development_refuses_a_wrong_number():
    result = run([str(BIN / "flask"), "routes"], {"TRUSTED_PROXIES": "yes"})

    assert result.returncode == 1
    assert result.stderr.splitlines()[1:] == [
        "  TRUSTED_PROXIES='yes' is not a whole number of 0 or more"
    ]


def test_gunicorn_prints_the_refused_settings_and_stops():
    gunicorn = shutil.which("gunicorn", path=str(BIN))
    if gunicorn is None:
        pytest.skip("gunicorn is not installed (pip install -e '.[dev]')")
    env = {"INTERVIEWER_ENV": "production", "SECRET_KEY": "short"}
    command = [gunicorn, "--preload", "--workers", "2", "--bind", "127.0.0.1:0"]

    result = run([*command, "interviewer:create_app()"], env)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Error: interviewer cannot start with these settings:" in result.stderr
    for name in ("SECRET_KEY is 5 bytes", "DATABASE_URL is not set", "RATELIMIT_STORAGE_URI"):
        assert f"  {name}" in result.stderr
