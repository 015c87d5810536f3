"""Course lessons and a member's progress through them."""

from __future__ import annotations

from accounts.models import User
from seminars.models import Event, Lesson, LessonProgress
from seminars.permissions import is_member


def course_progress(viewer: User, event: Event) -> tuple[list[Lesson], set[int]]:
    """The course's lessons in order and the ids of those `viewer` finished."""
    lessons = list(Lesson.objects.filter(event=event).order_by("position"))
    done: set[int] = set()
    if is_member(viewer) and lessons:
        done = set(
            LessonProgress.objects.filter(user=viewer, lesson__in=lessons).values_list(
                "lesson_id", flat=True
            )
        )
    return lessons, done
