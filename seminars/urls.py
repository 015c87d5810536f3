from django.urls import path

from seminars.views import courses, events, knowledge, registrations, staff

app_name = "seminars"
urlpatterns = [
    path("veranstaltungen/", events.event_list, name="events"),
    path("veranstaltungen/vergangene/", events.past_list, name="past"),
    path("veranstaltungen/meine/", registrations.my_events, name="my_events"),
    path(
        "veranstaltungen/kalender/erneuern/",
        registrations.renew_feed,
        name="renew_feed",
    ),
    path(
        "veranstaltungen/kalender/<str:token>.ics",
        registrations.personal_feed,
        name="feed",
    ),
    path("veranstaltungen/neu/", staff.event_create, name="create"),
    path("veranstaltungen/<int:pk>/", events.event_detail, name="event"),
    path("veranstaltungen/<int:pk>/termin.ics", events.event_ics, name="ics"),
    path("veranstaltungen/<int:pk>/chat/", events.event_chat, name="chat"),
    path("veranstaltungen/<int:pk>/anmelden/", registrations.register, name="register"),
    path("veranstaltungen/<int:pk>/bearbeiten/", staff.event_edit, name="edit"),
    path("veranstaltungen/<int:pk>/absagen/", staff.event_cancel, name="cancel_event"),
    path(
        "veranstaltungen/<int:pk>/kontingent-freigeben/",
        staff.release_quota,
        name="release_quota",
    ),
    path(
        "veranstaltungen/<int:pk>/teilnehmende/",
        staff.participants,
        name="participants",
    ),
    path(
        "veranstaltungen/<int:pk>/teilnehmende.csv",
        staff.participants_csv,
        name="participants_csv",
    ),
    path(
        "veranstaltungen/<int:pk>/materialien/neu/",
        staff.material_add,
        name="material_add",
    ),
    path(
        "veranstaltungen/<int:pk>/programm/neu/", staff.session_add, name="session_add"
    ),
    path(
        "veranstaltungen/<int:pk>/lektionen/neu/", staff.lesson_form, name="lesson_add"
    ),
    path(
        "veranstaltungen/<int:pk>/lektionen/<int:lesson_pk>/bearbeiten/",
        staff.lesson_form,
        name="lesson_edit",
    ),
    path("veranstaltungen/<int:pk>/abschluss/", courses.completion, name="completion"),
    path(
        "veranstaltungen/anmeldung/<int:pk>/stornieren/",
        registrations.cancel,
        name="cancel",
    ),
    path(
        "veranstaltungen/anmeldung/<int:pk>/sichtbarkeit/",
        registrations.set_listed,
        name="set_listed",
    ),
    path(
        "veranstaltungen/anmeldung/<int:pk>/bescheinigung/",
        registrations.certificate,
        name="certificate",
    ),
    path(
        "veranstaltungen/programm/<int:pk>/anmelden/",
        registrations.book_session,
        name="book_session",
    ),
    path(
        "veranstaltungen/programm/buchung/<int:pk>/stornieren/",
        registrations.cancel_session,
        name="cancel_session",
    ),
    path(
        "veranstaltungen/material/<int:pk>/entfernen/",
        staff.material_remove,
        name="material_remove",
    ),
    path(
        "veranstaltungen/material/<int:pk>/<str:name>",
        events.material_download,
        name="material",
    ),
    path("veranstaltungen/lektion/<int:pk>/", courses.lesson_detail, name="lesson"),
    path(
        "veranstaltungen/lektion/<int:pk>/erledigt/",
        courses.lesson_done,
        name="lesson_done",
    ),
    path(
        "veranstaltungen/lektion/anhang/<int:pk>/<str:name>",
        courses.lesson_attachment,
        name="lesson_attachment",
    ),
    path("wissen/", knowledge.library, name="library"),
]
