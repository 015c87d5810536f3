"""Lessons of e-learning courses and each participant's progress."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from audit.actions import log_action
from community.markup import render
from seminars.models import (
    Event,
    Lesson,
    LessonAttachment,
    LessonProgress,
    Registration,
    RegistrationStatus,
)
from seminars.permissions import check_can_manage_events, check_can_mark_lesson


@transaction.atomic
def save_lesson(
    actor: User,
    event: Event,
    *,
    lesson: Lesson | None = None,
    title: str,
    body: str,
    uploads: Iterable[UploadedFile] = (),
) -> Lesson:
    """Add a lesson at the end of the course, or change `lesson`."""
    check_can_manage_events(actor)
    if lesson is None:
        last = event.lessons.aggregate(last=Max("position"))["last"] or 0
        lesson = Lesson(event=event, position=last + 1)
    lesson.title = title
    lesson.body = body
    lesson.body_html = render(body).html
    lesson.save()
    for upload in uploads:
        LessonAttachment.objects.create(
            lesson=lesson,
            file=upload,
            original_name=upload.name[:200],
            content_type=upload.content_type,
            size=upload.size,
        )
    log_action(actor, "seminars.lesson.saved", target=lesson)
    return lesson


def mark_lesson_done(member: User, lesson: Lesson) -> bool:
    """Record that `member` finished `lesson`: once, however often marked.

    Completes the course when it was the last open lesson. Returns whether
    anything was recorded now.
    """
    registration = Registration.objects.filter(
        event_id=lesson.event_id, participant=member
    ).first()
    check_can_mark_lesson(member, lesson, registration)
    try:
        with transaction.atomic():
            LessonProgress.objects.create(lesson=lesson, user=member)
    except IntegrityError:
        return False  # marked before (perhaps a second tab at the same moment)
    _complete_if_done(registration)
    return True


def _complete_if_done(registration: Registration) -> None:
    lessons = Lesson.objects.filter(event_id=registration.event_id)
    done = LessonProgress.objects.filter(
        lesson__in=lessons, user_id=registration.participant_id
    ).count()
    if done == lessons.count() and registration.completed_at is None:
        Registration.objects.filter(
            pk=registration.pk,
            completed_at__isnull=True,
            status=RegistrationStatus.CONFIRMED,
        ).update(completed_at=timezone.now())
