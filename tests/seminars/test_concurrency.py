"""Seats under concurrent registrations and cancellations, on real PostgreSQL.

Threads stand in for server processes: each has its own connection, and a
barrier lets them all start at once, so they really race for the same rows.
"""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection

from accounts.models import User
from seminars.actions.registrations import cancel, register
from seminars.models import EventMunicipality, Registration, RegistrationStatus
from seminars.permissions import Refused
from seminars.queries.waiting import waiting_positions

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def people(make_municipality, count: int, *, same_place: bool = False) -> list[User]:
    """Members without a password hash (fast), each in a municipality of
    their own unless `same_place`."""
    members = []
    for n in range(count):
        ags = "09162000" if same_place else f"0918{7000 + n:04d}"
        place = make_municipality(ags, f"Gemeinde {ags}")
        members.append(
            User.objects.create(
                email=f"wettlauf{n}@example.org",
                name=f"Wettlauf {n}",
                municipality=place,
            )
        )
    return members


def race(func, items: list) -> list:
    """Run `func(item)` for every item in its own thread, all at once."""
    barrier = Barrier(len(items))

    def run(item):
        try:
            barrier.wait()
            return func(item)
        except Refused as refusal:
            return refusal
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(run, items))


def counts(event) -> dict[str, int]:
    rows = Registration.objects.filter(event=event).values_list("status", flat=True)
    return {status: list(rows).count(status) for status in set(rows)}


def test_22_concurrent_registrations_for_the_last_5_seats(
    make_event, make_municipality
):
    event = make_event(capacity=8)
    early = people(make_municipality, 25)[:3]
    for member in early:
        register(member, event)
    racers = people_after(make_municipality, 22, offset=3)

    results = race(lambda member: register(member, event), racers)

    assert all(isinstance(r, Registration) for r in results)
    event.refresh_from_db()
    assert event.confirmed_count == 8
    assert counts(event) == {"confirmed": 8, "waiting": 17}
    assert (
        sum(
            EventMunicipality.objects.filter(event=event).values_list(
                "confirmed_count", flat=True
            )
        )
        == 8
    )
    # The waiting list keeps the order in which the locks were won: queue
    # times and ids agree, and the positions count up along them.
    waiting = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITING)
    )
    by_time = sorted(waiting, key=lambda r: r.queued_at)
    assert [r.pk for r in by_time] == sorted(r.pk for r in waiting)
    positions = waiting_positions(event)
    assert [positions[r.pk] for r in by_time] == list(range(1, 18))


def test_20_concurrent_registrations_for_the_last_2_seats_of_a_municipality(
    make_event, make_municipality
):
    event = make_event(capacity=50, municipality_quota=3)
    city = people(make_municipality, 21, same_place=True)
    register(city[0], event)

    results = race(lambda member: register(member, event), city[1:])

    confirmed = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, Refused)]
    assert len(confirmed) == 2
    assert len(refused) == 18
    assert all("sind vergeben" in str(r) or "are taken" in str(r) for r in refused)
    area = EventMunicipality.objects.get(event=event, area_key="09162000")
    assert area.confirmed_count == 3
    event.refresh_from_db()
    assert event.confirmed_count == 3
    assert counts(event) == {"confirmed": 3}


def test_concurrent_cancellations_promote_each_waiting_entry_once_in_order(
    make_event, make_municipality
):
    event = make_event(capacity=5)
    members = people(make_municipality, 15)
    for member in members:
        register(member, event)
    holders, waiting = members[:5], members[5:]

    registrations = [Registration.objects.get(participant=m) for m in holders]
    results = race(lambda r: cancel(r.participant, r), registrations)

    assert results == [True] * 5
    event.refresh_from_db()
    assert event.confirmed_count == 5
    statuses = {
        r.participant_id: r.status
        for r in Registration.objects.filter(event=event, participant__in=waiting)
    }
    assert [statuses[m.pk] for m in waiting] == ["confirmed"] * 5 + ["waiting"] * 5
    assert counts(event) == {"cancelled": 5, "confirmed": 5, "waiting": 5}


def people_after(make_municipality, count: int, *, offset: int) -> list[User]:
    return list(
        User.objects.filter(email__startswith="wettlauf").order_by("pk")[
            offset : offset + count
        ]
    )
