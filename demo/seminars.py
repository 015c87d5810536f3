"""Demo events for a local instance (called by `manage.py seed_demo`): coming
online seminars, the annual meeting with its timetable, an e-learning course
with lessons, and past events with materials.

Idempotent: an event whose title exists already is not created again. Demo
members are registered through the same actions members use; past events are
made as coming ones and then moved into the past.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from seminars.actions.attendance import mark_attendance
from seminars.actions.courses import save_lesson
from seminars.actions.events import add_session, create_event
from seminars.actions.materials import add_material
from seminars.actions.registrations import register
from seminars.models import Access, Event, EventKind, EventStatus

LINK = "https://konferenz.zukunftsraum.example/raum/"

# title, kind, topic, days from today (negative: past), hours, capacity,
# quota, registered member indexes, description
EVENTS = [
    (
        "Online-Seminar: Bürgerbusse mit Ehrenamtlichen",
        EventKind.SEMINAR,
        "mobility",
        9,
        2,
        25,
        3,
        [0, 1],
        "Wie Gemeinden einen **Bürgerbus** gründen: Verein, Versicherung, "
        "Fahrplan und Fahrerinnen. Mit Zeit für Ihre Fragen.",
    ),
    (
        "Online-Seminar: Gemeindeschwestern finanzieren",
        EventKind.SEMINAR,
        "care-health",
        16,
        1,
        2,
        None,
        [3, 2, 4],
        "Fördertöpfe, Kooperationen mit dem Landkreis und erste Erfahrungen.",
    ),
    (
        "Jahrestreffen des Netzwerks Zukunftsraum",
        EventKind.MEETING,
        "",
        45,
        8,
        120,
        4,
        [0, 1, 3],
        "Das jährliche Treffen aller Mitglieder: Werkstätten, Praxisbeispiele "
        "und Zeit zum Kennenlernen.",
    ),
    (
        "E-Learning: Förderanträge sicher stellen",
        EventKind.COURSE,
        "digital",
        -2,
        24 * 60,
        None,
        None,
        [1],
        "Ein Kurs in drei Lektionen, in Ihrem eigenen Tempo.",
    ),
    (
        "Online-Seminar: Digitale Bürgerdienste im Verbund",
        EventKind.SEMINAR,
        "digital",
        -30,
        2,
        40,
        None,
        [1, 3],
        "Rückblick: gemeinsame Online-Dienste mehrerer Gemeinden.",
    ),
    (
        "Online-Seminar: Wohnen im Alter im Bestand",
        EventKind.SEMINAR,
        "housing",
        -60,
        2,
        40,
        None,
        [3],
        "Rückblick: Umbau im Bestand und Wohngemeinschaften.",
    ),
]

SESSIONS = [
    ("Werkstatt Mobilität", 1, 1, "Saal 1", 30),
    ("Werkstatt Pflege vor Ort", 1, 1, "Saal 2", 2),
    ("Praxisbeispiele aus den Kommunen", 3, 2, "Plenum", None),
]

LESSONS = [
    ("Überblick: Was gefördert wird", "Die **Mikroförderung** unterstützt ..."),
    ("Der Kostenplan", "Gliedern Sie die Kosten wie im Finanzierungsplan."),
    ("Der Verwendungsnachweis", "Sachbericht, zahlenmäßiger Nachweis, Belege."),
]

PDF = b"%PDF-1.4\n% Zukunftsraum Demo-Folien\n"


def seed_events(staff: User, members: list[User]) -> int:
    """Create the demo events that are missing; returns how many were created."""
    created = 0
    for row in EVENTS:
        title, kind, topic, days, hours, capacity, quota, people, text = row
        if Event.objects.filter(title=title).exists():
            continue
        start = (timezone.now() + timedelta(days=abs(days) or 1)).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        event = create_event(
            staff,
            kind=kind,
            status=EventStatus.PUBLISHED,
            title=title,
            description=text,
            topic=topic,
            speaker_names="Geschäftsstelle Zukunftsraum",
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            location="Kassel, Kongress Palais" if kind == EventKind.MEETING else "",
            online_url=LINK + str(created + 1) if kind == EventKind.SEMINAR else "",
            capacity=capacity,
            municipality_quota=quota,
        )
        for index in people:
            register(members[index % len(members)], event, listed=index % 2 == 0)
        if kind == EventKind.MEETING:
            for name, offset, length, room, seats in SESSIONS:
                begins = start + timedelta(hours=offset)
                add_session(
                    staff,
                    event,
                    title=name,
                    starts_at=begins,
                    ends_at=begins + timedelta(hours=length),
                    room=room,
                    capacity=seats,
                )
        if kind == EventKind.COURSE:
            for lesson_title, body in LESSONS:
                save_lesson(staff, event, title=lesson_title, body=body)
        if days < 0:
            _move_into_the_past(staff, event, days, hours)
        created += 1
    return created


def _move_into_the_past(staff: User, event: Event, days: int, hours: int) -> None:
    start = event.starts_at - timedelta(days=abs(days) * 2)
    end = start + timedelta(hours=hours)
    if event.kind == EventKind.COURSE:
        end = timezone.now() + timedelta(days=60)  # a course open for months
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=end)
    if event.kind == EventKind.COURSE:
        return
    present = list(event.registrations.values_list("pk", flat=True))
    mark_attendance(staff, event, attended=present)
    topic = event.title.removeprefix("Online-Seminar: ")
    add_material(
        staff,
        event,
        title=f"Folien: {topic}",
        kind="slides",
        access=Access.MEMBERS,
        description="Die Folien der Referierenden zum Nachlesen.",
        upload=_pdf("folien.pdf"),
    )
    add_material(
        staff,
        event,
        title=f"Aufzeichnung: {topic}",
        kind="recording",
        access=Access.PARTICIPANTS,
        url="https://video.zukunftsraum.example/aufzeichnung",
    )


def _pdf(name: str) -> ContentFile:
    upload = ContentFile(PDF, name=name)
    upload.content_type = "application/pdf"
    return upload
