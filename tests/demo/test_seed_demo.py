import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from community.models import Space
from demo.grants import GRANT_MEMBERS
from demo.management.commands.seed_demo import (
    MEMBER_PASSWORD,
    MEMBERS,
    SPACES,
    STAFF_EMAIL,
    STAFF_PASSWORD,
)
from demo.seminars import EVENTS
from seminars.models import Event, EventKind


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_seed_creates_spaces_members_and_staff(db, debug, client):
    call_command("seed_demo")

    assert Space.objects.count() == len(SPACES)
    assert Space.objects.filter(title="Mobilität im ländlichen Raum").exists()
    members = len(MEMBERS) + len(GRANT_MEMBERS)
    assert User.objects.filter(is_staff=False).count() == members
    staff = User.objects.get(email=STAFF_EMAIL)
    assert staff.is_staff and staff.is_superuser
    response = client.post(
        "/konto/login/", {"login": STAFF_EMAIL, "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == "/uebersicht/"
    overview = client.get("/uebersicht/").content.decode()
    assert "Pflege und Gesundheit" in overview


def test_demo_members_can_log_in(db, debug, client):
    call_command("seed_demo")
    response = client.post(
        "/konto/login/", {"login": MEMBERS[0][1], "password": MEMBER_PASSWORD}
    )
    assert response.status_code == 302
    member = User.objects.get(email=MEMBERS[0][1])
    assert member.district.key == MEMBERS[0][4]
    assert member.is_affiliation_verified


def test_seed_is_idempotent_and_keeps_changed_passwords(db, debug):
    call_command("seed_demo")
    staff = User.objects.get(email=STAFF_EMAIL)
    staff.set_password("ein-eigenes-Passwort-2026")
    staff.save()

    call_command("seed_demo")

    assert Space.objects.count() == len(SPACES)
    # The demo members, the grants' municipal members and two staff accounts.
    assert User.objects.count() == len(MEMBERS) + len(GRANT_MEMBERS) + 2
    staff.refresh_from_db()
    assert staff.check_password("ein-eigenes-Passwort-2026")


def test_seed_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run without DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_creates_events_once_with_a_course_and_past_materials(
    db, debug, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    call_command("seed_demo")

    assert Event.objects.count() == len(EVENTS)
    course = Event.objects.get(kind=EventKind.COURSE)
    assert course.lessons.count() == 3
    meeting = Event.objects.get(kind=EventKind.MEETING)
    assert meeting.sessions.count() == 3
    upcoming = client.get("/veranstaltungen/").content.decode()
    assert "Jahrestreffen des Netzwerks Zukunftsraum" in upcoming
    past = client.get("/veranstaltungen/vergangene/").content.decode()
    assert "Digitale Bürgerdienste im Verbund" in past
    assert "2 Materialien" in past
