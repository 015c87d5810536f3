"""The socket's store: the common send in one SQL statement on PostgreSQL, the
rest through the ORM path, with the same answers either way."""

from __future__ import annotations

import itertools
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chat import actions, store
from chat.actions import SendRequest
from chat.events import message_event
from chat.models import Membership, MembershipRole, Message, Room, RoomKind
from chat.permissions import Refused, check_can_post, sanction_refusal
from moderation.models import FilterAction, WordFilter
from moderation.screening import word_filter
from realtime.bus import get_bus

pytestmark = pytest.mark.postgres

_ids = itertools.count(1)


def request(author, room, body="Hallo zusammen", **options) -> SendRequest:
    options.setdefault("client_id", f"c{next(_ids)}")
    return SendRequest(
        author, room.pk, options["client_id"], body, options.get("reply_to_id")
    )


def seqs(room: Room) -> list[int]:
    return list(room.messages.order_by("seq").values_list("seq", flat=True))


@pytest.mark.django_db
def test_a_batch_of_common_sends_is_stored_in_one_statement(
    member, colleague, make_space
):
    rooms = [actions.ensure_space_room(make_space()) for _ in range(3)]
    requests = [
        request(author, room, f"Nachricht {n}")
        for n in range(4)
        for room in rooms
        for author in (member, colleague)
    ]
    word_filter()  # read once per process, not per batch
    statements = store.counts["statements"]

    with CaptureQueriesContext(connection) as queries:
        results = store.store_batch(requests)

    # One prepared statement, through psycopg; no query through the ORM (in
    # this test's transaction, a savepoint around the statement).
    assert store.counts["statements"] == statements + 1
    assert [q for q in queries if "SAVEPOINT" not in q["sql"]] == []
    assert all(result.ok and not result.duplicate for result in results)
    for room in rooms:
        room.refresh_from_db()
        assert seqs(room) == list(range(1, 9)) == list(range(1, room.last_seq + 1))
    mine = [r for q, r in zip(requests, results, strict=True) if q.author == member]
    assert [r.message.seq for r in mine if r.room_id == rooms[0].pk] == [1, 3, 5, 7]
    stored = Message.objects.get(pk=results[0].message.pk)
    assert (stored.body, stored.html) == ("Nachricht 0", "<p>Nachricht 0</p>")
    # The authors have read their own messages (an open room: joined now).
    positions = Membership.objects.filter(room=rooms[1]).values_list(
        "user_id", "last_read_seq", "role"
    )
    assert sorted(positions) == sorted(
        [(member.pk, 7, MembershipRole.MEMBER), (colleague.pk, 8, "member")]
    )


@pytest.mark.django_db
def test_a_retried_send_is_answered_as_a_duplicate_and_stored_once(member, space_room):
    first = request(member, space_room, client_id="retry")
    same_batch = request(member, space_room, client_id="retry")

    one, two = store.store_batch([first, same_batch])
    (later,) = store.store_batch([request(member, space_room, client_id="retry")])

    assert one.ok and not one.duplicate
    assert two.duplicate and later.duplicate
    assert one.message.pk == two.message.pk == later.message.pk
    assert (later.room_id, later.message.seq) == (space_room.pk, 1)
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_a_client_id_of_another_rooms_message_is_refused(member, make_space):
    one, other = (actions.ensure_space_room(make_space()) for _ in range(2))
    store.store_batch([request(member, one, client_id="reused")])

    (result,) = store.store_batch([request(member, other, client_id="reused")])

    assert (result.error, result.field) == ("bad_field", "client_id")
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_sends_the_statement_does_not_take_get_the_orm_paths_answers(
    member, colleague, space_room, settings
):
    earlier = actions.send_message(member, space_room, body="Frage", client_id="q")
    WordFilter.objects.create(pattern="Depp", action=FilterAction.BLOCK)
    WordFilter.objects.create(pattern="Wahlkampf", action=FilterAction.HOLD)
    settings.MODERATION_HOLD_FIRST_POSTS = 0
    reply = request(colleague, space_room, "Antwort", reply_to_id=earlier.pk)
    mention = request(colleague, space_room, f"Hallo @**{member.name}|{member.pk}**")
    held = request(colleague, space_room, "Wahlkampf")
    blocked = request(colleague, space_room, "Du Depp")
    empty = request(colleague, space_room, "   ")

    results = store.store_batch([reply, mention, held, blocked, empty])

    assert results[0].message.reply_to_id == earlier.pk
    assert 'class="mention"' in results[1].message.html
    assert results[2].message.visibility == "pending"
    assert (results[3].error, bool(results[3].detail)) == ("blocked_words", True)
    assert results[4].error == "body_empty"
    assert seqs(space_room) == [1, 2, 3, 4]


@pytest.mark.django_db
def test_slow_mode_and_mutes_are_answered_with_retry_after(
    member, colleague, staff_member, space_room
):
    actions.set_slow_mode(staff_member, space_room, seconds=30, reason="Ruhe")
    Membership.objects.update_or_create(
        room=space_room,
        user=colleague,
        defaults={"muted_until": timezone.now() + timedelta(minutes=5)},
    )

    first, second, muted = store.store_batch(
        [
            request(member, space_room),
            request(member, space_room),
            request(colleague, space_room),
        ]
    )

    assert first.ok
    assert (second.error, 0 < second.retry_after <= 30) == ("slow_mode", True)
    assert (muted.error, 290 < muted.retry_after <= 300) == ("muted", True)


@pytest.mark.django_db(transaction=True)
def test_the_statements_events_are_what_the_orm_path_publishes(
    member, colleague, make_space
):
    rooms = [actions.ensure_space_room(make_space()) for _ in range(2)]
    published: list[dict] = []
    for room in rooms:
        get_bus().listen(
            room.pk,
            lambda _, entries: published.extend(json.loads(t) for *_, t in entries),
        )

    results = store.store_batch(
        [request(a, r, f"Hallo {a.pk}") for r in rooms for a in (member, colleague)]
    )

    expected = [
        message_event(
            Message.objects.select_related("author").get(pk=r.message.pk),
            "add",
            with_reactions=False,
        )
        for r in results
    ]
    assert published == expected
    assert [e["message"]["seq"] for e in published] == [1, 2, 1, 2]


@pytest.mark.django_db(transaction=True)
def test_concurrent_statements_keep_every_sequence_gap_free(
    member, colleague, make_space
):
    """Threads stand in for server processes: each has its own connection,
    each batch locks its rooms in id order, so none waits on another in a
    circle and no number is taken twice."""
    rooms = [actions.ensure_space_room(make_space()) for _ in range(5)]

    def batches(worker: int) -> list:
        found = []
        try:
            for n in range(15):
                chosen = [rooms[(worker + n + k) % 5] for k in range(3)][::-1]
                found += store.store_batch(
                    [
                        request(author, room, f"{worker}-{n}")
                        for room in chosen
                        for author in (member, colleague)
                    ]
                )
        finally:
            connection.close()
        return found

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = [r for found in pool.map(batches, range(6)) for r in found]

    assert len(results) == 6 * 15 * 6
    assert all(result.ok and not result.duplicate for result in results)
    for room in rooms:
        room.refresh_from_db()
        assert seqs(room) == list(range(1, room.last_seq + 1))
    assert sum(room.last_seq for room in rooms) == len(results)


# --- The SQL guards hold to chat.permissions --------------------------------


@pytest.fixture
def cast(make_member, make_space, staff_member):
    """Every role and sanction a sender can have, in every kind of room."""
    now = timezone.now()
    later, earlier = now + timedelta(hours=1), now - timedelta(hours=1)
    people = {
        "staff": staff_member,
        "member": make_member(),
        "space moderator": make_member(),
        "restricted space member": make_member(),
        "room owner": make_member(),
        "invited": make_member(),
        "removed from room": make_member(),
        "muted in room": make_member(),
        "room mute over": make_member(),
        "muted in all chat": make_member(chat_muted_until=later),
        "chat mute over": make_member(chat_muted_until=earlier),
        "suspended": make_member(suspended_until=later),
        "suspension over": make_member(suspended_until=earlier),
        "deactivated": make_member(is_active=False),
    }
    open_space = make_space("Offen")
    restricted = make_space("Projekt", is_restricted=True)
    restricted.members.add(people["restricted space member"])
    for space in (open_space, restricted):
        space.moderators.add(people["space moderator"])
    owner = people["room owner"]
    rooms = {
        "open space room": actions.ensure_space_room(open_space),
        "restricted space room": actions.ensure_space_room(restricted),
        "open room": actions.create_room(owner, title="Offen", is_invite_only=False),
        "invite-only room": actions.create_room(
            owner, title="Geschlossen", is_invite_only=True
        ),
        "direct conversation": actions.start_direct(owner, [people["invited"]]),
        "seminar room": actions.ensure_owned_room(
            owner_key="seminars.event:1", title="Seminar"
        ),
    }
    actions.add_members(owner, rooms["invite-only room"], [people["invited"]])
    # The seminars add their participants (as seminars.actions does).
    for user in (people["invited"], owner):
        Membership.objects.create(room=rooms["seminar room"], user=user)
    for room in rooms.values():
        for name, until in (("muted in room", later), ("room mute over", earlier)):
            Membership.objects.update_or_create(
                room=room, user=people[name], defaults={"muted_until": until}
            )
        Membership.objects.update_or_create(
            room=room, user=people["removed from room"], defaults={"removed_at": now}
        )
    return people, rooms


def allowed_by_python(user, room) -> bool:
    """What chat.permissions and the sanctions say, read fresh."""
    from accounts.models import User

    user = User.objects.get(pk=user.pk)
    room = Room.objects.select_related("space").get(pk=room.pk)
    membership = Membership.objects.filter(room=room, user=user).first()
    try:
        check_can_post(user, room, membership)
    except (Http404, Refused):
        return False
    now = timezone.now()
    return sanction_refusal(user.chat_muted_until, user.suspended_until, now) is None


@pytest.mark.django_db
def test_the_statements_guards_agree_with_check_can_post_for_every_role(cast):
    people, rooms = cast
    kinds = {room.kind for room in rooms.values()}
    assert kinds == set(RoomKind.values)
    verdicts = {}
    for (person, user), (place, room) in itertools.product(
        people.items(), rooms.items()
    ):
        expected = allowed_by_python(user, room)
        results: list = [None]
        deferred = store._store_common([request(user, room)], results)
        stored = not deferred and results[0] is not None and results[0].ok
        verdicts[person, place] = (stored, expected)

    disagree = {case: v for case, v in verdicts.items() if v[0] != v[1]}
    assert not disagree
    # The matrix means something: both answers occur for every room kind.
    for place in rooms:
        answers = {verdicts[person, place][1] for person in people}
        assert answers == {True, False}, place
