"""The demo forum content `make run` loads."""

import pytest
from django.core.management import call_command

from forum.models import Thread
from forum.queries.matching import matches_for


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_demo_threads_show_a_seek_with_its_matching_offer(db, debug):
    call_command("seed_demo")
    seek = Thread.objects.get(kind="seek")
    offer = Thread.objects.get(kind="offer")
    assert offer in [m.thread for m in matches_for(seek.author, seek)]
    call_command("seed_demo")
    assert Thread.objects.filter(kind="seek").count() == 1  # idempotent


def test_every_demo_space_has_its_chat_room(db, debug):
    from chat.models import Room
    from forum.models import Space

    call_command("seed_demo")
    assert Room.objects.filter(space__isnull=False).count() == Space.objects.count()
