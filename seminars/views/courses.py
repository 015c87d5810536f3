"""Lessons of an e-learning course, progress and the completion confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from seminars.actions import courses
from seminars.models import Lesson, LessonAttachment
from seminars.permissions import Refused, access_event, check_can_open_lessons
from seminars.queries.courses import course_progress
from seminars.queries.events import registration_of
from seminars.views.common import back_to_event, serve_file


def _access_lesson(request: HttpRequest, pk: int) -> tuple[Lesson, object]:
    lesson = get_object_or_404(Lesson.objects.select_related("event"), pk=pk)
    event = access_event(request.user, lesson.event_id)
    registration = registration_of(request.user, event)
    check_can_open_lessons(request.user, event, registration)
    return lesson, registration


@login_required
@require_GET
def lesson_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        lesson, registration = _access_lesson(request, pk)
    except Refused as refusal:
        lesson = get_object_or_404(Lesson, pk=pk)
        messages.error(request, str(refusal))
        return back_to_event(lesson.event_id, "lektionen")
    lessons, done = course_progress(request.user, lesson.event)
    index = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
    return render(
        request,
        "seminars/lesson_detail.html",
        {
            "lesson": lesson,
            "event": lesson.event,
            "lessons": lessons,
            "done": done,
            "previous": lessons[index - 1] if index > 0 else None,
            "next": lessons[index + 1] if index + 1 < len(lessons) else None,
            "registration": registration,
            "attachments": list(lesson.attachments.all()),
        },
    )


@login_required
@require_POST
def lesson_done(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = get_object_or_404(Lesson, pk=pk)
    try:
        courses.mark_lesson_done(request.user, lesson)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return back_to_event(lesson.event_id, "lektionen")
    messages.success(request, _("Lesson marked as done."))
    return redirect("seminars:lesson", pk=lesson.pk)


@login_required
@require_GET
def lesson_attachment(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    attachment = get_object_or_404(LessonAttachment, pk=pk)
    try:
        _access_lesson(request, attachment.lesson_id)
    except Refused:
        raise Http404 from None
    return serve_file(
        attachment.file,
        content_type=attachment.content_type,
        name=attachment.original_name,
    )


@login_required
@require_GET
def completion(request: HttpRequest, pk: int) -> HttpResponse:
    """The completion confirmation of a course, made for printing."""
    event = access_event(request.user, pk)
    registration = registration_of(request.user, event)
    if registration is None or registration.completed_at is None:
        messages.error(
            request,
            _("The confirmation is available once you have finished every lesson."),
        )
        return back_to_event(event.pk, "lektionen")
    return render(
        request,
        "seminars/completion_detail.html",
        {"event": event, "registration": registration},
    )
