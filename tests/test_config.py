"""Configuration: production refuses to start half-configured; the test helpers behave."""

from __future__ import annotations

import pytest

import config
from interviewer import create_app
from interviewer.extensions import limiter
from tests.conftest import REQUIRE_SERVICES_ENV, require_service


@pytest.fixture
def make_app(app, tmp_path):
    """Build extra apps on a throwaway database; the shared limiter goes back to the test app."""

    def make(name: str, **overrides):
        """``SQLALCHEMY_DATABASE_URI=None`` keeps the config's own database setting."""
        if overrides.get("SQLALCHEMY_DATABASE_URI", "") is None:
            del overrides["SQLALCHEMY_DATABASE_URI"]
        else:
            overrides.setdefault("SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'extra.db'}")
        overrides.setdefault("RATELIMIT_STORAGE_URI", "memory://")
        return create_app(name, **overrides)

    yield make
    limiter.init_app(app)


@pytest.fixture
def production_env(monkeypatch):
    """A complete production environment; the config's own values are put back afterwards."""
    for name in config.ProductionConfig.READ_AT_START:
        monkeypatch.setattr(config.ProductionConfig, name, getattr(config.ProductionConfig, name))
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://app@db.internal/interviewer")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://cache.internal:6379")


def test_production_refuses_to_start_without_secret_key_and_database_url(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)

    with pytest.raises(RuntimeError) as error:
        create_app("production")

    assert "SECRET_KEY" in str(error.value)
    assert "DATABASE_URL" in str(error.value)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_names_the_one_setting_that_is_missing(production_env, monkeypatch, missing):
    monkeypatch.delenv(missing)

    with pytest.raises(RuntimeError, match=missing) as error:
        config.ProductionConfig.validate()

    present = {"SECRET_KEY", "DATABASE_URL"} - {missing}
    assert present.pop() not in str(error.value)


@pytest.mark.parametrize("blank", ["", "   "])
def test_production_treats_a_blank_secret_key_as_missing(production_env, monkeypatch, blank):
    monkeypatch.setenv("SECRET_KEY", blank)

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.ProductionConfig.validate()


def test_production_starts_with_the_settings_from_the_environment(production_env, make_app):
    app = make_app("production", SQLALCHEMY_DATABASE_URI=None)

    assert app.config["SECRET_KEY"] == "a-real-secret-from-the-environment"
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://app@db.internal/interviewer"
    )
    assert not app.testing
    assert not app.debug
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config.get("WTF_CSRF_ENABLED", True) is True


def test_development_starts_without_settings_and_keeps_csrf_on(monkeypatch, make_app):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)

    app = make_app("development")

    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config["RATELIMIT_ENABLED"] is True


def test_config_is_chosen_by_name_or_interviewer_env(monkeypatch):
    monkeypatch.setenv("INTERVIEWER_ENV", "Production")
    assert config.get_config() is config.ProductionConfig
    assert config.get_config("testing") is config.TestingConfig
    monkeypatch.delenv("INTERVIEWER_ENV")
    assert config.get_config() is config.DevelopmentConfig


def test_unknown_config_name_says_which_names_exist():
    with pytest.raises(RuntimeError) as error:
        config.get_config("staging")

    assert "'staging'" in str(error.value)
    assert "development, testing, production" in str(error.value)


# --- the skip-or-fail helper for tests that need a service ---------------------------------


def test_require_service_does_nothing_when_the_service_answers(monkeypatch):
    monkeypatch.setenv(REQUIRE_SERVICES_ENV, "1")

    assert require_service("Redis", True, "unused") is None


def test_require_service_skips_with_the_reason(monkeypatch):
    monkeypatch.delenv(REQUIRE_SERVICES_ENV, raising=False)

    with pytest.raises(pytest.skip.Exception, match="Redis is not reachable: refused"):
        require_service("Redis", False, "refused")


def test_require_service_fails_when_services_are_required(monkeypatch):
    monkeypatch.setenv(REQUIRE_SERVICES_ENV, "1")

    with pytest.raises(pytest.fail.Exception, match="Redis is not reachable: refused"):
        require_service("Redis", False, "refused")
