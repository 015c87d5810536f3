"""Settings come from the environment: checked in fresh processes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "x7#kq!v2-production-only-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "zukunftsraum.example",
    "DATABASE_URL": "postgres://zr:secret@db.example:5432/zukunftsraum",
    "REDIS_URL": "redis://cache.example:6379/0",
}
# Set for the test process itself (pyproject.toml); each case sets its own.
INHERITED_FROM_PYTEST = {
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "SECURE_SSL_REDIRECT",
}
PRINT_SETTINGS = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "db_engine": db["ENGINE"], "db_name": str(db["NAME"]), "db_host": db.get("HOST"),
    "db_options": db.get("OPTIONS", {}), "db_conn_max_age": db["CONN_MAX_AGE"],
    "layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "layer_hosts": settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("hosts"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "email_backend": settings.EMAIL_BACKEND, "email_host": settings.EMAIL_HOST,
    "email_port": settings.EMAIL_PORT, "email_user": settings.EMAIL_HOST_USER,
    "email_tls": settings.EMAIL_USE_TLS, "debug": settings.DEBUG,
    "secure_cookies": settings.SESSION_COOKIE_SECURE,
    "layer_capacity": settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get(
        "capacity"
    ),
    "session_engine": settings.SESSION_ENGINE,
}))
"""


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in INHERITED_FROM_PYTEST
    }
    environment.update(DJANGO_SETTINGS_MODULE="zukunftsraum.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_for(**env: str) -> dict:
    result = run(PRINT_SETTINGS, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_embedded_defaults_use_sqlite_and_in_process_layer(tmp_path):
    current = settings_for(DEBUG="1", VAR_DIR=str(tmp_path))
    assert current["db_engine"] == "django.db.backends.sqlite3"
    assert current["db_name"] == str(tmp_path / "db.sqlite3")
    assert "journal_mode=WAL" in current["db_options"]["init_command"]
    assert current["layer"] == "channels.layers.InMemoryChannelLayer"
    assert current["cache"].endswith("LocMemCache")
    assert current["session_engine"] == "django.contrib.sessions.backends.db"
    assert current["email_backend"].endswith("console.EmailBackend")


def test_database_url_switches_to_postgresql():
    current = settings_for(**PRODUCTION)
    assert current["db_engine"] == "django.db.backends.postgresql"
    assert current["db_name"] == "zukunftsraum"
    assert current["db_host"] == "db.example"


def test_redis_url_switches_channel_layer_and_cache_to_redis():
    current = settings_for(**PRODUCTION)
    assert current["layer"] == "channels_redis.core.RedisChannelLayer"
    assert current["layer_hosts"] == [
        {
            "address": "redis://cache.example:6379/0",
            "socket_timeout": 15,
            "max_connections": 1000,
        }
    ]
    assert current["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert current["cache_location"] == "redis://cache.example:6379/0"
    # What stays on the layer (a member's own events) is not dropped at 100.
    assert current["layer_capacity"] == 10_000
    # A socket's handshake reads its session from Redis.
    assert current["session_engine"] == "django.contrib.sessions.backends.cached_db"


def test_email_url_configures_smtp():
    current = settings_for(
        DEBUG="1", EMAIL_URL="smtp+tls://team%40kommune.example:pw@mail.example:587"
    )
    assert current["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert current["email_host"] == "mail.example"
    assert current["email_port"] == 587
    assert current["email_user"] == "team@kommune.example"
    assert current["email_tls"] is True


def test_production_refuses_to_start_without_secret_key():
    result = run(PRINT_SETTINGS)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_defaults_are_secure():
    current = settings_for(**PRODUCTION)
    assert current["debug"] is False
    assert current["secure_cookies"] is True


def test_deploy_check_is_clean_with_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in INHERITED_FROM_PYTEST},
            **PRODUCTION,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_database_pool_size_gives_each_process_a_connection_pool():
    current = settings_for(**PRODUCTION, DATABASE_POOL_SIZE="8")
    assert current["db_options"]["pool"] == {
        "min_size": 1,
        "max_size": 8,
        "timeout": 10,
    }
    assert current["db_conn_max_age"] == 0


def test_without_a_pool_size_connections_are_not_pooled():
    current = settings_for(**PRODUCTION)
    assert "pool" not in current["db_options"]


@pytest.mark.postgres
def test_pooled_connections_serve_concurrent_threads(postgres_server):
    code = """
from concurrent.futures import ThreadPoolExecutor
from django.db import connection

def ask(n):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s", [n])
        answer = cursor.fetchone()[0]
    connection.close()  # returns the connection to the pool
    return answer

with ThreadPoolExecutor(6) as pool:
    print(sorted(pool.map(ask, range(12))), connection.pool.get_stats()["pool_max"])
"""
    result = run(
        code,
        **{**PRODUCTION, "DATABASE_URL": postgres_server, "DATABASE_POOL_SIZE": "3"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [*str(list(range(12))).split(), "3"]


@pytest.mark.postgres
def test_postgresql_is_what_the_postgres_pass_runs_on(db):
    from django.db import connection

    assert connection.vendor == "postgresql"


def test_grant_attachments_live_outside_the_media_path(tmp_path):
    code = "from django.conf import settings\n"
    code += "print(settings.GRANTS_FILES_ROOT); print(settings.MEDIA_ROOT)"
    result = run(code, DEBUG="1", VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    grants, media = result.stdout.split()
    assert grants == str(tmp_path / "private" / "grants")
    assert not grants.startswith(media)
