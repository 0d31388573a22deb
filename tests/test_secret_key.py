"""No public default key: outside production, an install without ``SECRET_KEY`` makes its own
once and keeps it in ``instance/secret_key``, so no two installs share one."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest

import config
from config import ConfigError, instance_secret_key
from interviewer import create_app
from interviewer.extensions import limiter

ROOT = Path(__file__).resolve().parent.parent


def test_two_installs_get_two_keys(tmp_path):
    first = instance_secret_key(tmp_path / "one" / "instance")
    second = instance_secret_key(tmp_path / "two" / "instance")

    assert first != second
    assert len(bytes.fromhex(first)) == len(bytes.fromhex(second)) == 32


def test_an_install_keeps_its_key_from_one_start_to_the_next(tmp_path):
    assert instance_secret_key(tmp_path) == instance_secret_key(tmp_path)
    assert (tmp_path / "secret_key").read_text().strip() == instance_secret_key(tmp_path)


def test_the_key_file_is_readable_by_its_owner_alone(tmp_path):
    instance_secret_key(tmp_path)

    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]


def test_processes_starting_together_all_read_the_one_key(tmp_path):
    keys: list[str] = []
    barrier = threading.Barrier(8)

    def start():
        barrier.wait(timeout=10)
        keys.append(instance_secret_key(tmp_path))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert len(keys) == 8
    assert len(set(keys)) == 1


def test_an_emptied_key_file_stops_the_start_with_what_to_do(tmp_path):
    (tmp_path / "secret_key").write_text("\n")

    with pytest.raises(ConfigError, match="delete it"):
        instance_secret_key(tmp_path)


def test_development_without_secret_key_uses_the_instance_key(app, monkeypatch, tmp_path):
    monkeypatch.setattr(config.DevelopmentConfig, "SECRET_KEY", None)
    development = create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'extra.db'}",
        RATELIMIT_STORAGE_URI="memory://",
    )
    limiter.init_app(app)

    key = development.config["SECRET_KEY"]
    assert key == (Path(development.instance_path) / "secret_key").read_text().strip()
    assert key != "dev-only-not-secret"


def test_a_secret_key_from_the_environment_wins_and_testing_keeps_its_own(
    app, monkeypatch, tmp_path
):
    monkeypatch.setattr(config.DevelopmentConfig, "SECRET_KEY", "from-the-environment")
    development = create_app(
        "development",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'extra.db'}",
        RATELIMIT_STORAGE_URI="memory://",
    )
    limiter.init_app(app)

    assert development.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SECRET_KEY"] == "testing"


def test_the_instance_folder_is_not_committed():
    ignored = (ROOT / ".gitignore").read_text().split()

    assert "instance/" in ignored
