"""Events, registrations, materials and courses, by noun."""

from seminars.models.courses import Lesson, LessonAttachment, LessonProgress
from seminars.models.events import (
    MAX_TITLE_LENGTH,
    Event,
    EventKind,
    EventSession,
    EventStatus,
)
from seminars.models.materials import Access, Material, MaterialKind
from seminars.models.registrations import (
    CalendarFeed,
    EventMunicipality,
    Registration,
    RegistrationStatus,
    SessionBooking,
)

__all__ = [
    "MAX_TITLE_LENGTH",
    "Access",
    "CalendarFeed",
    "Event",
    "EventKind",
    "EventMunicipality",
    "EventSession",
    "EventStatus",
    "Lesson",
    "LessonAttachment",
    "LessonProgress",
    "Material",
    "MaterialKind",
    "Registration",
    "RegistrationStatus",
    "SessionBooking",
]
