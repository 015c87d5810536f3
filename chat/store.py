"""The store behind the socket's group commit: a batch of sends, the common
ones in one SQL statement.

`store_batch` is the batch action of the chat's group commit
(realtime.batch). It runs on a thread of its own (`EXECUTOR`, with its own
database connection), so a send never queues behind page-like work on the
thread Django gives every other database call of the socket.

On PostgreSQL the common send — no reply, no mention, a text the word filter
lets through unflagged, with no more links than a newcomer may post — is
stored with every other such send of the batch in **one** data-modifying
statement: earlier sends with the same client ids are found, the guards
(`check_can_post` and the member's sanctions, as SQL, read fresh in the
statement), the rooms locked in id order, new seqs numbered per room, the
room counters advanced, the messages inserted and the authors' read
positions moved, all in one round trip that commits on its own. Screening
and rendering happen before it, on this thread, outside any transaction.

Whatever the statement does not store (a guard refused it, the room is in
slow mode) and whatever is not common takes chat.actions.sending's ORM path,
which answers with the exact error code and retry_after, holds, flags and
notifies. SQLite (the embedded default) takes that path for everything.
tests/chat/test_store.py proves that the SQL guards agree with
`check_can_post` for every role and sanction.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import User
from chat.actions.messages import clean_body, clean_client_id
from chat.actions.sending import SendRequest, SendResult, send_messages
from chat.events import message_event
from chat.models import Membership, MembershipRole, Message, Room
from chat.permissions import Refused
from community.markup import render
from community.models import Space
from moderation.models import Visibility
from moderation.screening import ALLOW, FilterEntry, count_links, screen_words
from moderation.screening import word_filter as compiled_word_filter
from realtime import groups
from realtime.publish import publish_many_on_commit

logger = logging.getLogger(__name__)

# The chat's store thread: one, so batches are stored one after the other
# (a batch gathers while the previous one is stored), with a database
# connection of its own that it keeps.
EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chat-store")
# What this process stored which way (the benchmarks read it, bench/urls.py):
# statements run, sends they stored, sends the ORM path took.
counts: Counter[str] = Counter()


def _tables() -> dict[str, str]:
    return {
        "message": Message._meta.db_table,
        "room": Room._meta.db_table,
        "membership": Membership._meta.db_table,
        "user": User._meta.db_table,
        "space": Space._meta.db_table,
        "space_members": Space.members.through._meta.db_table,
        "space_moderators": Space.moderators.through._meta.db_table,
    }


# One statement per batch. Arrays come in with unnest; every guard of
# chat.permissions.check_can_post and sanction_refusal is a line of `allowed`
# (tests/chat/test_store.py holds them to the Python versions).
STATEMENT = """
WITH req AS (
    SELECT * FROM unnest(
        %(ord)s::int[], %(room)s::bigint[], %(author)s::bigint[],
        %(client)s::text[], %(body)s::text[], %(html)s::text[]
    ) AS r(ord, room_id, author_id, client_id, body, html)
),
earlier AS (
    SELECT r.ord, m.id, m.room_id, m.seq
    FROM req r JOIN {message} m
        ON m.author_id = r.author_id AND m.client_id = r.client_id
),
allowed AS (
    SELECT r.*
    FROM req r
    JOIN {user} u ON u.id = r.author_id
    JOIN {room} room ON room.id = r.room_id
    LEFT JOIN {membership} ms ON ms.room_id = r.room_id AND ms.user_id = r.author_id
    LEFT JOIN {space} sp ON sp.id = room.space_id
    WHERE r.ord NOT IN (SELECT ord FROM earlier)
      AND u.is_active
      AND (u.suspended_until IS NULL OR u.suspended_until <= %(now)s)
      AND (u.chat_muted_until IS NULL OR u.chat_muted_until <= %(now)s)
      AND (ms.muted_until IS NULL OR ms.muted_until <= %(now)s)
      AND room.slow_mode_seconds = 0
      AND CASE
        WHEN room.kind = 'space' THEN
          ms.removed_at IS NULL
          AND (
            u.is_staff
            OR NOT sp.is_restricted
            OR EXISTS (SELECT 1 FROM {space_members} x
                       WHERE x.space_id = sp.id AND x.user_id = u.id)
            OR EXISTS (SELECT 1 FROM {space_moderators} x
                       WHERE x.space_id = sp.id AND x.user_id = u.id)
          )
        WHEN room.kind IN ('direct', 'seminar')
          OR (room.kind = 'adhoc' AND room.is_invite_only) THEN ms.id IS NOT NULL
        ELSE TRUE
      END
),
locked AS (
    SELECT id, last_seq FROM {room}
    WHERE id IN (SELECT room_id FROM allowed)
    ORDER BY id
    FOR UPDATE
),
numbered AS (
    SELECT a.*, l.last_seq
        + row_number() OVER (PARTITION BY a.room_id ORDER BY a.ord) AS seq
    FROM allowed a JOIN locked l ON l.id = a.room_id
),
counters AS (
    UPDATE {room} SET last_seq = n.top, last_message_at = %(now)s
    FROM (SELECT room_id, max(seq) AS top FROM numbered GROUP BY room_id) n
    WHERE {room}.id = n.room_id
),
inserted AS (
    INSERT INTO {message} (
        room_id, seq, author_id, client_id, body, html, reply_to_id,
        created_at, edited_at, deleted_at, visibility
    )
    SELECT room_id, seq, author_id, client_id, body, html, NULL,
        %(now)s, NULL, NULL, %(visible)s
    FROM numbered
    RETURNING id, room_id, seq
),
read_positions AS (
    INSERT INTO {membership} (
        room_id, user_id, role, joined_at, last_read_seq, muted_until, removed_at
    )
    SELECT room_id, author_id, %(role)s, %(now)s, max(seq), NULL, NULL
    FROM numbered GROUP BY room_id, author_id
    ON CONFLICT (room_id, user_id) DO UPDATE SET last_read_seq =
        GREATEST({membership}.last_read_seq, EXCLUDED.last_read_seq)
)
SELECT n.ord, i.id, i.room_id, i.seq, FALSE
FROM inserted i JOIN numbered n ON n.room_id = i.room_id AND n.seq = i.seq
UNION ALL
SELECT ord, id, room_id, seq, TRUE FROM earlier
"""

_statement: list[str] = []


def statement() -> str:
    if not _statement:
        _statement.append(STATEMENT.format(**_tables()))
    return _statement[0]


@dataclass(frozen=True)
class Common:
    """A send the statement may store: its index in the batch, cleaned text
    and rendered HTML."""

    index: int
    request: SendRequest
    body: str
    html: str


def common_send(
    index: int, request: SendRequest, entries: list[FilterEntry]
) -> Common | None:
    """The send, prepared for the statement, or None if it needs the ORM path
    (an exact refusal, a reply, a mention, the screening holding, flagging or
    maybe blocking it). Runs before any transaction."""
    if request.reply_to_id is not None:
        return None
    try:
        clean_client_id(request.client_id)
        body = clean_body(request.body)
    except Refused:
        return None
    if "@**" in body:  # mentions notify: the ORM path
        return None
    # More links than a newcomer may post: whether the author is one costs a
    # query, so the ORM path decides.
    if count_links(body) > settings.MODERATION_NEWCOMER_MAX_LINKS:
        return None
    if screen_words(body, entries).action != ALLOW:
        return None
    return Common(index, request, body, render(body).html)


def store_batch(requests: list[SendRequest]) -> list[SendResult]:
    """The group commit's batch action: one result per request, in order."""
    results: list[SendResult | None] = [None] * len(requests)
    rest = list(range(len(requests)))
    if connection.vendor == "postgresql":
        rest = _store_common(requests, results)
    if rest:
        counts["orm_path"] += len(rest)
        for index, result in zip(
            rest, send_messages([requests[i] for i in rest]), strict=True
        ):
            results[index] = result
    return results


def _store_common(
    requests: list[SendRequest], results: list[SendResult | None]
) -> list[int]:
    """Store the common sends in one statement; the indexes of the others."""
    entries = compiled_word_filter()
    common: list[Common] = []
    rest: list[int] = []
    first: dict[tuple[int, str], int] = {}
    for index, request in enumerate(requests):
        key = (request.author.pk, request.client_id)
        # A client id twice in one batch: the ORM path answers the second as
        # a duplicate of the first.
        prepared = None if key in first else common_send(index, request, entries)
        if prepared is None:
            rest.append(index)
            continue
        first[key] = index
        common.append(prepared)
    if not common:
        return rest
    now = timezone.now()
    try:
        rows = run_statement(common, now)
    except IntegrityError:
        # Another process stored one of these client ids at this moment: the
        # ORM path sorts it out (the retry reports the stored message).
        return sorted(rest + [c.index for c in common])
    stored = {row[0]: row[1:] for row in rows}
    events = []
    for item in common:
        found = stored.get(item.index)
        if found is None:  # a guard refused it: the ORM path says why
            rest.append(item.index)
            continue
        pk, room_id, seq, duplicate = found
        request = item.request
        if duplicate and room_id != request.room_id:
            # The client id names a message of another room: a client bug,
            # not a retry (docs/protocol.md).
            results[item.index] = SendResult(
                request.client_id,
                request.room_id,
                error="bad_field",
                field="client_id",
            )
            continue
        message = Message(
            pk=pk,
            room_id=room_id,
            seq=seq,
            author=request.author,
            client_id=request.client_id,
            body=item.body,
            html=item.html,
            created_at=now,
            visibility=Visibility.VISIBLE,
        )
        results[item.index] = SendResult(
            request.client_id, room_id, message, duplicate=duplicate
        )
        if not duplicate:
            events.append(message)
    # Committed already (the statement was its own transaction): published now.
    events.sort(key=lambda m: (m.room_id, m.seq))
    publish_many_on_commit(
        (message_event(m, "add", with_reactions=False), [groups.chat_room(m.room_id)])
        for m in events
    )
    return sorted(rest)


def run_statement(common: list[Common], now) -> list[tuple]:
    """Execute the one statement for `common`; the rows it answered.

    A prepared statement with the values bound on the server: planning this
    statement costs PostgreSQL twice what running it does (0.7 ms against
    0.3 ms for one message), and the store thread keeps its connection, so
    it is planned once. Django's cursors bind on the client (they cannot
    prepare), so this one goes to psycopg directly, with Django's error
    classes; inside a transaction (the tests') under a savepoint."""
    import psycopg

    parameters = {
        "ord": [c.index for c in common],
        "room": [c.request.room_id for c in common],
        "author": [c.request.author.pk for c in common],
        "client": [c.request.client_id for c in common],
        "body": [c.body for c in common],
        "html": [c.html for c in common],
        "now": now,
        "visible": Visibility.VISIBLE,
        "role": MembershipRole.MEMBER,
    }
    connection.ensure_connection()
    savepoint = (
        transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    )
    with (
        savepoint,
        connection.wrap_database_errors,
        psycopg.Cursor(connection.connection) as cursor,
    ):
        cursor.execute(statement(), parameters, prepare=True)
        rows = cursor.fetchall()
    counts["statements"] += 1
    counts["statement_sends"] += len(common)
    return rows


def store_batch_on_own_connection(requests: list[SendRequest]) -> list[SendResult]:
    """`store_batch` on the store thread: the thread keeps its connection
    between batches; one that broke is replaced for the next."""
    try:
        return store_batch(requests)
    except DatabaseError:
        connection.close()
        raise
