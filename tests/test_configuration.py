"""An operator who gets the configuration wrong is told so in one sentence, not a traceback."""

import pytest

from tests.manage_command import ROOT, run_manage
from thurrock_irp.environment import DEVELOPMENT_SECRET_KEY


@pytest.mark.parametrize(
    ("env", "sentence"),
    [
        ({"DATABASE_URL": "mysql://user@host/db"}, "DATABASE_URL scheme 'mysql' is not supported"),
        ({"DJANGO_DEBUG": "false"}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_DEBUG": "perhaps"}, "DJANGO_DEBUG must be true or false"),
        (
            {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "too-short-to-sign-sessions-safely"},
            "DJANGO_SECRET_KEY has 33 characters but needs at least 50",
        ),
        (
            {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": DEVELOPMENT_SECRET_KEY},
            "DJANGO_SECRET_KEY is the published development key",
        ),
        (
            {"DJANGO_TRUSTED_PROXY_COUNT": "-1"},
            "DJANGO_TRUSTED_PROXY_COUNT must be a whole number of 0 or more, not '-1'",
        ),
        (
            {"DJANGO_TRUSTED_PROXY_COUNT": "one"},
            "DJANGO_TRUSTED_PROXY_COUNT must be a whole number of 0 or more, not 'one'",
        ),
    ],
)
def test_bad_configuration_stops_with_one_clear_sentence(env, sentence):
    result = run_manage("check", **env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and sentence in lines[0]


def test_production_mode_starts_with_a_secret_key():
    result = run_manage(
        "check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 60, DJANGO_ALLOWED_HOSTS="irp.example.gov.uk"
    )
    assert result.returncode == 0, result.stderr


def test_embedded_sqlite_uses_wal_and_immediate_transactions(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the embedded database settings apply to SQLite only")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in connection.settings_dict["OPTIONS"]["init_command"]


def test_trusted_proxy_count_is_read_from_the_environment_and_defaults_to_none():
    show = ("shell", "-c", "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)", "-v", "0")
    behind_one_proxy = run_manage(*show, DJANGO_TRUSTED_PROXY_COUNT="1")
    assert behind_one_proxy.returncode == 0, behind_one_proxy.stderr
    assert behind_one_proxy.stdout.strip() == "1"
    assert run_manage(*show).stdout.strip() == "0"


@pytest.mark.parametrize(
    "url", ["", "sqlite:///var/elsewhere.sqlite3", "postgres://irp:secret@db.internal:5432/irp"]
)
def test_a_server_worker_keeps_its_database_connection_between_requests_whichever_the_database(
    monkeypatch, url
):
    # Opening a SQLite connection for every request cost a sixth of a save's CPU on deadline day.
    from thurrock_irp.environment import PERSISTENT_CONNECTION_SECONDS, database

    monkeypatch.setenv("DATABASE_URL", url)
    config = database(base_dir=ROOT)

    assert config["CONN_MAX_AGE"] == PERSISTENT_CONNECTION_SECONDS > 0
    assert config["CONN_HEALTH_CHECKS"] is True
