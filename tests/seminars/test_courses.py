"""E-learning courses: lessons, progress recorded once, completion."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from seminars.actions.courses import save_lesson
from seminars.actions.registrations import register
from seminars.models import EventKind, LessonProgress, Registration


@pytest.fixture
def course(make_event, staff_member):
    course = make_event(
        kind=EventKind.COURSE, title="Förderanträge schreiben", online_url=""
    )
    for n, title in enumerate(["Überblick", "Kostenplan", "Verwendungsnachweis"], 1):
        save_lesson(staff_member, course, title=title, body=f"Lektion **{n}**")
    return course


def mark(client, lesson):
    return client.post(f"/veranstaltungen/lektion/{lesson.pk}/erledigt/", follow=True)


def test_enrolled_members_read_lessons_in_order(course, member, member_client):
    register(member, course)
    first = course.lessons.get(position=1)

    page = member_client.get(f"/veranstaltungen/lektion/{first.pk}/").content.decode()

    assert "Lektion 1: Überblick" in page
    assert "Lektion <strong>1</strong>" in page
    assert "Weiter: Kostenplan" in page


def test_progress_is_recorded_once_however_often_marked(course, member, member_client):
    register(member, course)
    lesson = course.lessons.get(position=1)

    mark(member_client, lesson)
    mark(member_client, lesson)
    mark(member_client, lesson)

    assert LessonProgress.objects.filter(user=member, lesson=lesson).count() == 1
    page = member_client.get(f"/veranstaltungen/{course.pk}/").content.decode()
    assert "1 von 3 Lektionen erledigt" in page


def test_all_lessons_done_completes_the_course_with_a_confirmation(
    course, member, member_client
):
    register(member, course)
    completion = f"/veranstaltungen/{course.pk}/abschluss/"
    refused = member_client.get(completion, follow=True).content.decode()
    assert "sobald Sie alle Lektionen abgeschlossen haben" in refused

    for lesson in course.lessons.all():
        mark(member_client, lesson)

    registration = Registration.objects.get(participant=member)
    assert registration.completed_at is not None
    page = member_client.get(completion).content.decode()
    assert "Abschlussbestätigung" in page
    assert "alle Lektionen des E-Learning-Kurses" in page


def test_marking_a_lesson_without_enrolment_is_refused(course, member, member_client):
    lesson = course.lessons.first()

    response = mark(member_client, lesson)

    assert "Sie können nur Lektionen eines Kurses abhaken" in response.content.decode()
    assert not LessonProgress.objects.exists()
    opened = member_client.get(f"/veranstaltungen/lektion/{lesson.pk}/", follow=True)
    assert "Bitte melden Sie sich zum Kurs an" in opened.content.decode()


def test_a_course_can_be_joined_after_it_opened(course, member):
    type(course).objects.filter(pk=course.pk).update(
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=60),
    )
    course.refresh_from_db()

    assert register(member, course).is_confirmed


def test_lesson_attachments_are_for_participants(
    course, staff_member, client_for, member, member_client, settings
):
    lesson = course.lessons.first()
    upload = SimpleUploadedFile(
        "vorlage.pdf", b"%PDF-1.4 Vorlage", content_type="application/pdf"
    )
    save_lesson(
        staff_member,
        course,
        lesson=lesson,
        title=lesson.title,
        body=lesson.body,
        uploads=[upload],
    )
    attachment = lesson.attachments.get()
    url = f"/veranstaltungen/lektion/anhang/{attachment.pk}/vorlage.pdf"

    assert member_client.get(url).status_code == 404
    register(member, course)
    assert member_client.get(url).status_code == 200
