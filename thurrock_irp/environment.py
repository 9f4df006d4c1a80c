"""Reads the deployment's configuration from environment variables.

Every problem is raised as a ConfigurationError carrying one sentence a person running
the app can act on; manage.py and wsgi.py print that sentence instead of a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
SUPPORTED_DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")
PERSISTENT_CONNECTION_SECONDS = 60  # a server worker reuses its database connection for this long


class ConfigurationError(ImproperlyConfigured):
    """A setting is missing or wrong; the message says which and how to fix it."""


def env_flag(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ConfigurationError(f"{name} must be true or false (1/0, yes/no), not {raw!r}.")


def env_int(name: str, *, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or (minimum is not None and value < minimum):
        at_least = f" of {minimum} or more" if minimum is not None else ""
        raise ConfigurationError(f"{name} must be a whole number{at_least}, not {raw!r}.")
    return value


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Development only: a fixed key keeps sessions alive across restarts of `make run`. Anyone can
# read it here, which is why production mode refuses it.
DEVELOPMENT_SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105
# Django's own deployment check (security.W009) asks for at least 50 characters.
MINIMUM_SECRET_KEY_LENGTH = 50
HOW_TO_MAKE_A_KEY = "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def secret_key(*, debug: bool) -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    if debug:
        return key or DEVELOPMENT_SECRET_KEY
    if not key:
        raise ConfigurationError(
            f"DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production mode); {HOW_TO_MAKE_A_KEY}."
        )
    if key == DEVELOPMENT_SECRET_KEY:
        # Anyone who has read this code could forge sessions signed with it.
        raise ConfigurationError(
            "DJANGO_SECRET_KEY is the published development key, which must not be used when "
            f"DJANGO_DEBUG is off (production mode); {HOW_TO_MAKE_A_KEY}."
        )
    if len(key) < MINIMUM_SECRET_KEY_LENGTH:
        raise ConfigurationError(
            f"DJANGO_SECRET_KEY has {len(key)} characters but needs at least {MINIMUM_SECRET_KEY_LENGTH} "
            f"when DJANGO_DEBUG is off (production mode); {HOW_TO_MAKE_A_KEY}."
        )
    return key


def database(*, base_dir: Path) -> dict:
    """DATABASE_URL if set (SQLite or PostgreSQL), otherwise the embedded SQLite file."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        config = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(base_dir / "var" / "db.sqlite3"),
        }
    else:
        scheme = url.split("://", 1)[0].lower() if "://" in url else ""
        if scheme not in SUPPORTED_DATABASE_SCHEMES:
            raise ConfigurationError(
                f"DATABASE_URL scheme {scheme or url!r} is not supported; use "
                "postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:///PATH (or leave it unset "
                "for the embedded SQLite database)."
            )
        try:
            config = dj_database_url.parse(url)
        except ValueError as error:
            raise ConfigurationError(f"DATABASE_URL could not be read: {error}.") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = sqlite_options()
    # A server worker keeps its connection between requests, on SQLite too: opening one, with its
    # pragmas and the schema read again, cost about 1.5 ms of CPU per request, a sixth of a save's.
    # An idle connection holds no snapshot, so it neither sees stale data nor holds the WAL back.
    config["CONN_MAX_AGE"] = PERSISTENT_CONNECTION_SECONDS
    config["CONN_HEALTH_CHECKS"] = True
    return config


def sqlite_options() -> dict:
    # WAL lets readers work while one officer's save is being written; IMMEDIATE takes the
    # write lock when a transaction starts, so concurrent writers queue (up to `timeout`
    # seconds) instead of failing half-way with "database is locked".
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=30000;"
        ),
    }
