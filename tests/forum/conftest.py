"""Factories for forum tests."""

from collections.abc import Callable

import pytest

from accounts.models import User
from community.models import Space
from forum.actions.posts import reply
from forum.actions.threads import start_thread
from forum.models import Post, Thread, ThreadKind


@pytest.fixture
def make_space(db) -> Callable[..., Space]:
    counter = iter(range(1, 10_000))

    def make(**fields) -> Space:
        n = next(counter)
        fields.setdefault("title", f"Themenraum {n}")
        fields.setdefault("slug", f"themenraum-{n}")
        return Space.objects.create(**fields)

    return make


@pytest.fixture
def space(make_space) -> Space:
    return make_space(title="Mobilität im ländlichen Raum", slug="mobilitaet")


@pytest.fixture
def make_thread(space, member) -> Callable[..., Thread]:
    def make(
        author: User | None = None,
        *,
        in_space: Space | None = None,
        kind: str = ThreadKind.DISCUSSION,
        title: str = "Bürgerbus: Erfahrungen?",
        source: str = "Wer hat einen Bürgerbus mit Ehrenamtlichen aufgebaut?",
        **options,
    ) -> Thread:
        return start_thread(
            author or member,
            in_space or space,
            kind=kind,
            title=title,
            source=source,
            **options,
        )

    return make


@pytest.fixture
def add_posts() -> Callable[..., list[Post]]:
    def add(thread: Thread, author: User, count: int) -> list[Post]:
        return [
            reply(author, thread, source=f"Beitrag Nummer {n}") for n in range(count)
        ]

    return add
