"""Factories for seminar tests: events through the staff action, members of
several municipalities, and a client per member."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from seminars.actions.events import create_event
from seminars.models import Event, EventKind, EventStatus

MUNICIPALITIES = {
    "musterau": ("09187117", "Musterau"),
    "bergdorf": ("09187118", "Bergdorf"),
    "talheim": ("09187119", "Talheim"),
    "grossstadt": ("09162000", "Großstadt"),
}


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    """Materials and lesson files land in a throwaway directory."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def make_event(staff_member) -> Callable[..., Event]:
    def make(**fields) -> Event:
        start = timezone.now() + timedelta(days=fields.pop("in_days", 14))
        start = start.replace(second=0, microsecond=0)  # as staff enter times
        fields.setdefault("kind", EventKind.SEMINAR)
        fields.setdefault("status", EventStatus.PUBLISHED)
        fields.setdefault("title", "Pflege vor Ort organisieren")
        fields.setdefault("description", "Wie **Gemeindeschwestern** helfen.")
        fields.setdefault("topic", "care-health")
        fields.setdefault("starts_at", start)
        fields.setdefault("ends_at", start + timedelta(hours=2))
        fields.setdefault("online_url", "https://konferenz.example/raum-42")
        fields.setdefault("capacity", 20)
        return create_event(staff_member, **fields)

    return make


@pytest.fixture
def event(make_event) -> Event:
    return make_event()


@pytest.fixture
def member_of(make_member, make_municipality) -> Callable[..., User]:
    """A member of one of the test municipalities ("musterau", "grossstadt")."""

    def make(place: str = "musterau", **fields) -> User:
        ags, name = MUNICIPALITIES[place]
        return make_member(municipality=make_municipality(ags, name), **fields)

    return make


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []
