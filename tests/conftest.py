"""Factory fixtures shared by every test module."""

from collections.abc import Callable

import pytest
from allauth.account.models import EmailAddress

from accounts.models import District, Municipality, Role, State, User

pytest_plugins = ["tests.services"]

PASSWORD = "Zukunft-2026-sicher"
# How long the ASGI test communicators wait for a frame or an answer before
# failing. Channels says 1 s, which a loaded machine exceeds (a socket's hello
# runs several queries on the database thread); a frame that comes returns at
# once, so only a failing test waits longer. receive_nothing keeps its own.
FRAME_TIMEOUT = 10.0


def wait_longer_for_frames(seconds: float) -> None:
    """Make `seconds` the default timeout of the communicators' waits for
    something to arrive (not of disconnect, which waits out the application)."""
    from asgiref.testing import ApplicationCommunicator as AsgirefCommunicator
    from channels.testing import (
        ApplicationCommunicator,
        HttpCommunicator,
        WebsocketCommunicator,
    )

    for function in (
        AsgirefCommunicator.receive_output,
        ApplicationCommunicator.receive_output,
        HttpCommunicator.get_response,
        WebsocketCommunicator.connect,
        WebsocketCommunicator.receive_from,
        WebsocketCommunicator.receive_json_from,
    ):
        code = function.__code__
        positional = code.co_varnames[: code.co_argcount]
        defaults = list(function.__defaults__)
        defaults[positional.index("timeout") - len(positional)] = seconds
        function.__defaults__ = tuple(defaults)


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    from tests.hashers import cheap_hashers

    # Production's password algorithms, in its order, at their lowest cost.
    settings.PASSWORD_HASHERS = cheap_hashers(settings.PASSWORD_HASHERS)
    wait_longer_for_frames(FRAME_TIMEOUT)
    # Production settings hash static file names from a manifest that only
    # `collectstatic` writes; the tests render templates without one.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Rate limits count in the cache: every test starts with none used up."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def make_municipality(db) -> Callable[..., Municipality]:
    """Create (or fetch) a Gemeinde; its Land and Kreis are created as needed."""

    def make(
        ags: str = "09187117", name: str = "Musterau", population: int = 4200
    ) -> Municipality:
        state, _ = State.objects.get_or_create(
            key=ags[:2], defaults={"name": f"Land {ags[:2]}"}
        )
        district, _ = District.objects.get_or_create(
            key=ags[:5], defaults={"state": state, "name": f"Kreis {ags[:5]}"}
        )
        municipality, _ = Municipality.objects.get_or_create(
            ags=ags,
            defaults={"district": district, "name": name, "population": population},
        )
        return municipality

    return make


@pytest.fixture
def make_member(db, make_municipality) -> Callable[..., User]:
    """Create a member with a verified e-mail address, ready to log in."""
    counter = iter(range(1, 10_000))

    def make(**fields) -> User:
        n = next(counter)
        fields.setdefault("email", f"mitglied{n}@example.org")
        fields.setdefault("name", f"Mitglied {n}")
        fields.setdefault("role", Role.ADMINISTRATION)
        if "district" not in fields:
            fields.setdefault("municipality", make_municipality())
        user = User.objects.create_user(password=PASSWORD, **fields)
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
        return user

    return make


@pytest.fixture
def member(make_member) -> User:
    return make_member(name="Anna Beispiel", email="anna@example.org")


@pytest.fixture
def staff_member(make_member) -> User:
    return make_member(name="Geschäftsstelle", email="team@example.org", is_staff=True)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client
