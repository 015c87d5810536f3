"""Sessions as production keeps them with Redis: read from the cache, written
through to the database (`cached_db`). Signing out and deleting the account
still end them everywhere; losing the cache logs nobody out."""

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

OVERVIEW = "/uebersicht/"


@pytest.fixture(autouse=True)
def cached_db_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def signed_in(client) -> bool:
    return client.get(OVERVIEW).wsgi_request.user.is_authenticated


def session_key(client) -> str:
    return client.cookies["sessionid"].value


def stored(key: str) -> tuple[bool, bool]:
    """Is the session in the cache, in the database?"""
    return (
        cache.get(KEY_PREFIX + key) is not None,
        Session.objects.filter(session_key=key).exists(),
    )


def test_a_session_outlives_the_loss_of_its_cached_copy(member_client):
    key = session_key(member_client)
    assert signed_in(member_client)
    assert stored(key) == (True, True)
    cache.clear()  # Redis restarted, or the entry was evicted
    assert signed_in(member_client)
    assert stored(key) == (True, True)


def test_logging_out_ends_the_session_in_cache_and_database(member_client):
    key = session_key(member_client)
    assert signed_in(member_client)
    member_client.post("/konto/logout/")
    assert stored(key) == (False, False)
    # The old cookie, presented again, opens nothing.
    replay = Client()
    replay.cookies["sessionid"] = key
    assert not signed_in(replay)


def test_deleting_the_account_ends_every_session_of_the_member(
    member, member_client, password
):
    laptop = Client()
    laptop.force_login(member)
    other_key = session_key(laptop)
    assert signed_in(laptop)
    assert stored(other_key) == (True, True)
    member_client.post(
        "/meine-daten/konto-loeschen/", {"password": password, "confirm": "on"}
    )
    assert stored(other_key) == (False, False)
    assert not signed_in(laptop)
