"""E-learning courses: ordered lessons and each participant's progress."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seminars.models.events import MAX_TITLE_LENGTH, Event


class Lesson(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=MAX_TITLE_LENGTH)
    body = models.TextField(_("text"), max_length=50_000)
    body_html = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["event", "position"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "position"], name="seminars_lesson_position_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title


def lesson_file_path(instance: LessonAttachment, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"lessons/{secrets.token_hex(16)}{suffix}"


class LessonAttachment(models.Model):
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=lesson_file_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class LessonProgress(models.Model):
    """A lesson a participant marked as done: one row however often marked."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "user"], name="seminars_lesson_done_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} done {self.lesson_id}"
