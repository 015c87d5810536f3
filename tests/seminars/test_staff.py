"""The Geschäftsstelle's tools through the real views."""

from datetime import timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import AuditLogEntry
from chat.models import Membership
from seminars.actions.registrations import register
from seminars.models import Event, EventKind, Material, Registration

FORM = {
    "kind": "seminar",
    "status": "published",
    "title": "Dorfladen gründen",
    "description": "Vom **Verein** zum Laden.",
    "topic": "local-services",
    "speaker_names": "Dr. Eva Roth, Landkreis Görlitz",
    "starts_at": "2030-03-10T10:00",
    "ends_at": "2030-03-10T12:00",
    "time_zone": "Europe/Berlin",
    "online_url": "https://konferenz.example/dorfladen",
    "capacity": "30",
    "municipality_quota": "2",
}


def staff_client(client_for, staff_member):
    return client_for(staff_member)


def test_staff_create_an_event_with_its_chat_room_and_an_audit_row(
    client_for, staff_member
):
    response = client_for(staff_member).post("/veranstaltungen/neu/", FORM)

    event = Event.objects.get(title="Dorfladen gründen")
    assert response.status_code == 302
    assert response.url == f"/veranstaltungen/{event.pk}/"
    assert event.starts_at.isoformat() == "2030-03-10T09:00:00+00:00"
    assert event.description_html == "<p>Vom <strong>Verein</strong> zum Laden.</p>"
    assert event.municipality_quota == 2
    assert Membership.objects.filter(room=event.chat_room, user=staff_member).exists()
    assert AuditLogEntry.objects.filter(
        action="seminars.event.created", target_id=str(event.pk)
    ).exists()


def test_times_are_entered_in_the_events_time_zone(client_for, staff_member):
    client_for(staff_member).post(
        "/veranstaltungen/neu/", {**FORM, "time_zone": "Europe/Lisbon"}
    )
    event = Event.objects.get(title="Dorfladen gründen")
    assert event.starts_at.isoformat() == "2030-03-10T10:00:00+00:00"


def test_an_online_seminar_needs_its_link_and_the_end_follows_the_start(
    client_for, staff_member
):
    response = client_for(staff_member).post(
        "/veranstaltungen/neu/",
        {**FORM, "online_url": "", "ends_at": "2030-03-10T09:00"},
    )
    page = response.content.decode()
    assert "Ein Online-Seminar braucht einen Link zum Online-Treffen." in page
    assert "Das Ende muss nach dem Beginn liegen." in page
    assert not Event.objects.exists()


def test_members_cannot_reach_the_staff_tools(member_client, event):
    for url in (
        "/veranstaltungen/neu/",
        f"/veranstaltungen/{event.pk}/bearbeiten/",
        f"/veranstaltungen/{event.pk}/teilnehmende/",
        f"/veranstaltungen/{event.pk}/teilnehmende.csv",
        f"/veranstaltungen/{event.pk}/absagen/",
        f"/veranstaltungen/{event.pk}/materialien/neu/",
    ):
        assert member_client.get(url).status_code == 403, url
    response = member_client.post(f"/veranstaltungen/{event.pk}/kontingent-freigeben/")
    assert response.status_code == 403


def test_more_capacity_in_the_form_promotes_the_waiting_list(
    client_for, staff_member, make_event, member_of
):
    event = make_event(capacity=1)
    first, waiting = member_of("musterau"), member_of("bergdorf")
    register(first, event)
    register(waiting, event)
    form = client_for(staff_member).get(f"/veranstaltungen/{event.pk}/bearbeiten/")
    initial = form.context["form"].initial

    client_for(staff_member).post(
        f"/veranstaltungen/{event.pk}/bearbeiten/",
        {
            **FORM,
            "title": event.title,
            "starts_at": initial["starts_at"],
            "ends_at": initial["ends_at"],
            "capacity": "2",
        },
    )

    assert Registration.objects.get(participant=waiting).is_confirmed
    event.refresh_from_db()
    assert event.sequence == 1


def test_capacity_below_the_seats_taken_is_refused(
    client_for, staff_member, make_event, member_of
):
    event = make_event(capacity=3)
    register(member_of("musterau"), event)
    register(member_of("bergdorf"), event)
    initial = (
        client_for(staff_member)
        .get(f"/veranstaltungen/{event.pk}/bearbeiten/")
        .context["form"]
        .initial
    )

    response = client_for(staff_member).post(
        f"/veranstaltungen/{event.pk}/bearbeiten/",
        {**FORM, **{k: initial[k] for k in ("starts_at", "ends_at")}, "capacity": "1"},
    )

    assert "nicht unter den 2 vergebenen Plätzen" in response.content.decode()
    event.refresh_from_db()
    assert event.capacity == 3


def test_participant_list_csv_attendance_and_certificate(
    client_for, staff_member, make_event, member_of
):
    event = make_event(capacity=1)
    present, waiting = (
        member_of("musterau", name="Petra Präsent"),
        member_of("bergdorf"),
    )
    register(present, event)
    register(waiting, event)
    staff = client_for(staff_member)

    page = staff.get(f"/veranstaltungen/{event.pk}/teilnehmende/").content.decode()
    assert "Petra Präsent" in page
    assert "1 angemeldet, 1 auf der Warteliste." in page

    csv = staff.get(f"/veranstaltungen/{event.pk}/teilnehmende.csv")
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert text.splitlines()[0].startswith("Name;E-Mail-Adresse;Kommune;Status")
    assert "Petra Präsent;" in text and ";Auf der Warteliste;1;" in text

    registration = Registration.objects.get(participant=present)
    staff.post(
        f"/veranstaltungen/{event.pk}/teilnehmende/", {"attended": [registration.pk]}
    )
    registration.refresh_from_db()
    assert registration.attended is True
    assert AuditLogEntry.objects.filter(action="seminars.attendance.marked").exists()

    certificate = client_for(present).get(
        f"/veranstaltungen/anmeldung/{registration.pk}/bescheinigung/"
    )
    text = certificate.content.decode()
    assert "Teilnahmebescheinigung" in text
    assert "Petra Präsent" in text and event.title in text
    assert 'href="/static/css/seminars.css"' in text  # with the print rules
    assert "@media print" in Path("static/css/seminars.css").read_text()


def test_no_certificate_without_recorded_attendance_or_for_others(
    client_for, event, member_of
):
    owner, other = member_of("musterau"), member_of("musterau")
    registration = register(owner, event)
    url = f"/veranstaltungen/anmeldung/{registration.pk}/bescheinigung/"

    refused = client_for(owner).get(url, follow=True).content.decode()
    assert "Eine Bescheinigung gibt es, sobald Ihre Teilnahme erfasst ist." in refused
    assert client_for(other).get(url).status_code == 404


def test_demand_per_municipality_and_the_second_date_hint(
    client_for, staff_member, make_event, member_of
):
    event = make_event(capacity=1)
    for place in (
        "musterau",
        "bergdorf",
        "talheim",
        "grossstadt",
        "grossstadt",
        "bergdorf",
    ):
        register(member_of(place), event)

    page = client_for(staff_member).get(f"/veranstaltungen/{event.pk}/teilnehmende/")
    text = page.content.decode()
    assert [(d.area_name, d.confirmed, d.waiting) for d in page.context["demand"]] == [
        ("Musterau", 1, 0),
        ("Bergdorf", 0, 2),
        ("Großstadt", 0, 2),
        ("Talheim", 0, 1),
    ]
    assert "5 Personen warten: einen zweiten Termin anbieten?" in text
    copy = client_for(staff_member).get(f"/veranstaltungen/neu/?vorlage={event.pk}")
    assert copy.context["form"].initial["title"] == event.title


def test_cancelling_an_event_through_the_form(client_for, staff_member, event):
    response = client_for(staff_member).post(
        f"/veranstaltungen/{event.pk}/absagen/", {"reason": "Referentin erkrankt"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled
    entry = AuditLogEntry.objects.get(action="seminars.event.cancelled")
    assert entry.reason == "Referentin erkrankt"


def test_staff_attach_materials_checked_by_content(client_for, staff_member, event):
    staff = client_for(staff_member)
    fake = SimpleUploadedFile("folien.pdf", b"MZ not a pdf")
    refused = staff.post(
        f"/veranstaltungen/{event.pk}/materialien/neu/",
        {"title": "Folien", "kind": "slides", "access": "public", "upload": fake},
    )
    assert "kann nicht angehängt werden" in refused.content.decode()

    staff.post(
        f"/veranstaltungen/{event.pk}/materialien/neu/",
        {
            "title": "Aufzeichnung",
            "kind": "recording",
            "access": "participants",
            "url": "https://video.example/aufzeichnung",
        },
    )
    material = Material.objects.get()
    assert material.url == "https://video.example/aufzeichnung"
    assert AuditLogEntry.objects.filter(action="seminars.material.added").exists()


def test_a_meetings_sessions_have_their_own_capacity_and_waiting_list(
    client_for, staff_member, make_event, member_of
):
    start = timezone.now() + timedelta(days=30)
    meeting = make_event(
        kind=EventKind.MEETING,
        title="Jahrestreffen",
        location="Kassel",
        online_url="",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
    )
    staff = client_for(staff_member)
    local = (start + timedelta(hours=1)).astimezone(timezone.get_current_timezone())
    staff.post(
        f"/veranstaltungen/{meeting.pk}/programm/neu/",
        {
            "title": "Werkstatt Mobilität",
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "room": "Saal 2",
            "capacity": "1",
        },
    )
    session = meeting.sessions.get()
    first, second, outsider = (
        member_of(p) for p in ("musterau", "bergdorf", "talheim")
    )
    register(first, meeting)
    register(second, meeting)

    client_for(first).post(f"/veranstaltungen/programm/{session.pk}/anmelden/")
    full = client_for(second).post(
        f"/veranstaltungen/programm/{session.pk}/anmelden/", follow=True
    )
    assert "ist ausgebucht: Sie stehen auf der Warteliste." in full.content.decode()
    refused = client_for(outsider).post(
        f"/veranstaltungen/programm/{session.pk}/anmelden/", follow=True
    )
    assert "Bitte melden Sie sich zur Veranstaltung an" in refused.content.decode()

    # Giving up the seat at the meeting frees the session place as well.
    client_for(first).post(
        f"/veranstaltungen/anmeldung/{Registration.objects.get(participant=first).pk}"
        "/stornieren/"
    )
    session.refresh_from_db()
    assert session.confirmed_count == 1
    assert session.bookings.get(status="confirmed").registration.participant == second
