"""The moderators' thread tools: who may use them, what they record and tell.

Every tool is a POST to /forum/thema/<id>/moderation/<tool>/; each writes one
audit row with the moderator's reason and publishes a `forum.thread` event to
the thread's open pages. Members without the role (and moderators of another
space) are refused without any side effect.
"""

from __future__ import annotations

import pytest

from audit.models import AuditLogEntry
from forum.models import Thread
from realtime import groups
from tests.forum.live import Listener
from tests.moderation.conftest import MODERATORS_OF_SPACE, ROLES

MATRIX_ROLES = [*ROLES, "author"]


def tool_url(thread: Thread, tool: str) -> str:
    return f"/forum/thema/{thread.pk}/moderation/{tool}/"


@pytest.fixture
def thread(cast, make_thread, add_posts):
    thread = make_thread(author=cast.author, in_space=cast.space)
    add_posts(thread, cast.other, 3)
    return thread


@pytest.fixture
def move_target(cast, make_space):
    """A space that every moderator of `cast.space` may move threads into."""
    target = make_space(title="Wohnen im Alter", slug="wohnen")
    target.moderators.add(cast.space_moderator)
    return target


def prepare(thread: Thread, tool: str) -> None:
    """Put the thread into the state the tool changes."""
    before = {"entsperren": "is_locked", "loesen": "is_pinned"}
    before["wiedereroeffnen"] = "is_closed"
    if tool in before:
        Thread.objects.filter(pk=thread.pk).update(**{before[tool]: True})


def tool_data(tool: str, thread: Thread, move_target) -> dict:
    second_reply = thread.posts.get(position=3)
    return {
        "verschieben": {"space": move_target.pk},
        "langsamer-modus": {"seconds": 60},
        "teilen": {
            "posts": [second_reply.pk],
            "title": "Abgetrennt",
            "space": thread.space_id,
        },
    }.get(tool, {})


def snapshot(thread: Thread) -> tuple:
    thread = Thread.objects.get(pk=thread.pk)
    return (
        thread.is_locked,
        thread.is_pinned,
        thread.is_closed,
        thread.slow_mode_seconds,
        thread.space_id,
        list(thread.posts.values_list("pk", "position")),
        Thread.objects.count(),
    )


TOOLS = [
    "sperren",
    "entsperren",
    "anheften",
    "loesen",
    "schliessen",
    "wiedereroeffnen",
    "langsamer-modus",
    "verschieben",
    "teilen",
]


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_only_moderators_of_the_space_can_use_a_thread_tool(
    client, cast, thread, move_target, role, tool
):
    prepare(thread, tool)
    user = cast.by_role(role)
    if user is not None:
        client.force_login(user)
    before = snapshot(thread)

    response = client.post(tool_url(thread, tool), tool_data(tool, thread, move_target))

    if role in MODERATORS_OF_SPACE:
        assert response.status_code == 302
        assert "/anmelden/" not in response.url
        assert snapshot(thread) != before
        assert (
            AuditLogEntry.objects.filter(action__startswith="forum.thread.").count()
            == 1
        )
    else:
        expected = 302 if role == "anonymous" else 403
        assert response.status_code == expected
        if role == "anonymous":
            assert "next=" in response.url
        assert snapshot(thread) == before
        assert not AuditLogEntry.objects.filter(
            action__startswith="forum.thread."
        ).exists()


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_only_moderators_of_the_space_see_the_split_form(client, cast, thread, role):
    user = cast.by_role(role)
    if user is not None:
        client.force_login(user)
    response = client.get(tool_url(thread, "teilen"))
    if role in MODERATORS_OF_SPACE:
        assert response.status_code == 200
        assert 'type="checkbox"' in response.content.decode()
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_only_moderators_of_the_space_get_the_moderation_panel(
    client, cast, thread, role
):
    user = cast.by_role(role)
    if user is None:
        assert client.get(f"/forum/thema/{thread.pk}/").status_code == 302
        return
    client.force_login(user)
    html = client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert ('class="moderation-tools"' in html) == (role in MODERATORS_OF_SPACE)


@pytest.mark.parametrize(
    ("tool", "action", "event_op"),
    [
        ("sperren", "forum.thread.locked", "locked"),
        ("entsperren", "forum.thread.unlocked", "unlocked"),
        ("anheften", "forum.thread.pinned", "pinned"),
        ("loesen", "forum.thread.unpinned", "unpinned"),
        ("schliessen", "forum.thread.closed", "closed"),
        ("wiedereroeffnen", "forum.thread.reopened", "reopened"),
    ],
)
def test_each_tool_records_its_reason_and_tells_open_thread_pages(
    client, cast, thread, tool, action, event_op, django_capture_on_commit_callbacks
):
    prepare(thread, tool)
    client.force_login(cast.space_moderator)
    listener = Listener(groups.forum_thread(thread.pk))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(tool_url(thread, tool), {"reason": "Hausordnung Regel 1"})

    entry = AuditLogEntry.objects.get(action__startswith="forum.thread.")
    assert entry.action == action
    assert entry.actor == cast.space_moderator
    assert entry.reason == "Hausordnung Regel 1"
    assert entry.target_id == str(thread.pk)
    assert listener.events() == [
        {"type": "forum.thread", "op": event_op, "thread": thread.pk}
    ]


def test_using_a_tool_twice_changes_and_records_nothing_the_second_time(
    client, cast, thread
):
    client.force_login(cast.space_moderator)
    client.post(tool_url(thread, "sperren"))
    client.post(tool_url(thread, "sperren"))
    assert AuditLogEntry.objects.filter(action="forum.thread.locked").count() == 1


def test_slow_mode_records_the_interval_and_the_one_before(
    client, cast, thread, django_capture_on_commit_callbacks
):
    client.force_login(cast.space_moderator)
    client.post(tool_url(thread, "langsamer-modus"), {"seconds": 300})
    listener = Listener(groups.forum_thread(thread.pk))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            tool_url(thread, "langsamer-modus"), {"seconds": 60, "reason": "Hitzig"}
        )

    thread.refresh_from_db()
    assert thread.slow_mode_seconds == 60
    assert thread.slow_mode_set_by == cast.space_moderator
    entry = AuditLogEntry.objects.filter(action="forum.thread.slow_mode_set").first()
    assert entry.data == {"seconds": 60, "before": 300}
    assert entry.reason == "Hitzig"
    assert listener.events() == [
        {"type": "forum.thread", "op": "slow_mode", "thread": thread.pk, "seconds": 60}
    ]


def test_slow_mode_accepts_only_the_intervals_offered(client, cast, thread):
    client.force_login(cast.space_moderator)
    client.post(tool_url(thread, "langsamer-modus"), {"seconds": 7})
    thread.refresh_from_db()
    assert thread.slow_mode_seconds == 0
    assert not AuditLogEntry.objects.exists()


def test_moving_needs_the_right_to_moderate_the_target_space(client, cast, thread):
    client.force_login(cast.space_moderator)
    response = client.post(
        tool_url(thread, "verschieben"), {"space": cast.other_space.pk}
    )
    assert response.status_code == 403
    thread.refresh_from_db()
    assert thread.space == cast.space


def test_a_moved_thread_keeps_its_url_follows_and_search_entries(
    client, cast, thread, move_target, django_capture_on_commit_callbacks
):
    from forum.models import Follow

    follows = set(
        Follow.objects.filter(thread=thread).values_list("user_id", flat=True)
    )
    client.force_login(cast.global_moderator)
    listener = Listener(groups.forum_thread(thread.pk))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            tool_url(thread, "verschieben"),
            {"space": move_target.pk, "reason": "Passt besser"},
        )

    thread.refresh_from_db()
    assert thread.space == move_target
    entry = AuditLogEntry.objects.get(action="forum.thread.moved")
    assert entry.data == {"from": cast.space.pk, "to": move_target.pk}
    # The watchers check their access again: the new space may be restricted.
    assert listener.events() == [
        {"type": "forum.thread", "op": "moved", "thread": thread.pk,
         "space": move_target.pk},
        {"type": "access.changed"},
    ]  # fmt: skip
    assert (
        set(Follow.objects.filter(thread=thread).values_list("user_id", flat=True))
        == follows
    )
    client.force_login(cast.other)
    page = client.get(f"/forum/thema/{thread.pk}/")
    assert page.status_code == 200
    assert move_target.title in page.content.decode()
    assert thread.title in client.get(f"/forum/{move_target.slug}/").content.decode()
    assert thread.title not in client.get(f"/forum/{cast.space.slug}/").content.decode()
    found = client.get("/suche/", {"q": "Bürgerbus", "space": move_target.pk})
    assert thread.title in found.content.decode()
