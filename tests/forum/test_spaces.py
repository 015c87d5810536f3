"""Spaces: creation, reserved slugs, the space list."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditLogEntry
from community.actions.spaces import create_space
from community.models import Space


def test_staff_create_a_space_and_it_is_logged(staff_member):
    space = create_space(staff_member, title="Wohnen im Alter", slug="wohnen")
    entry = AuditLogEntry.objects.get(action="forum.space.created")
    assert entry.actor == staff_member
    assert space.slug == "wohnen"


def test_slugs_that_forum_pages_use_are_refused(db):
    space = Space(title="Neu", slug="neu")
    with pytest.raises(ValidationError) as refused:
        space.full_clean()
    assert "reserviert" in str(refused.value)


def test_the_space_list_shows_open_spaces_with_thread_counts(
    member_client, make_thread, make_space
):
    make_thread()
    make_space(title="Geschlossen", is_restricted=True)
    html = member_client.get("/forum/").content.decode()
    assert "Mobilität im ländlichen Raum" in html and "1 Thema" in html
    assert "Geschlossen" not in html
