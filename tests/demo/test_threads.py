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
    from community.models import Space

    call_command("seed_demo")
    assert Room.objects.filter(space__isnull=False).count() == Space.objects.count()


def test_demo_content_is_visible_even_with_pre_moderation(db, debug, settings):
    from forum.models import Post
    from moderation.models import ReviewItem, Visibility

    settings.MODERATION_HOLD_FIRST_POSTS = 5
    call_command("seed_demo")
    assert Post.objects.exists()
    assert not Post.objects.exclude(visibility=Visibility.VISIBLE).exists()
    assert not Thread.objects.exclude(visibility=Visibility.VISIBLE).exists()
    assert not ReviewItem.objects.exists()
