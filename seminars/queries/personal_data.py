"""The seminars' part of a member's data export (DSGVO Art. 15/20)."""

from __future__ import annotations

from accounts.models import User
from seminars.models import LessonProgress, Registration


def export_registrations(member: User) -> list[dict]:
    registrations = Registration.objects.filter(participant=member).select_related(
        "event", "registered_by"
    )
    return [
        {
            "event": r.event.title,
            "kind": r.event.kind,
            "starts_at": r.event.starts_at,
            "status": r.status,
            "municipality": r.area_name,
            "registered_at": r.queued_at,
            "registered_by_self": r.registered_by_id == member.pk,
            "cancelled_at": r.cancelled_at,
            "attended": r.attended,
            "shown_to_participants": r.listed,
            "completed_at": r.completed_at,
        }
        for r in registrations.order_by("queued_at")
    ]


def export_course_progress(member: User) -> list[dict]:
    progress = LessonProgress.objects.filter(user=member).select_related(
        "lesson__event"
    )
    return [
        {
            "course": p.lesson.event.title,
            "lesson": p.lesson.title,
            "completed_at": p.completed_at,
        }
        for p in progress.order_by("completed_at")
    ]
