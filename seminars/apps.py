from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeminarsConfig(AppConfig):
    name = "seminars"
    verbose_name = _("Seminars")

    def ready(self) -> None:
        from accounts.personal_data import register_eraser, register_exporter
        from seminars import knowledge
        from seminars.actions.personal_data import erase_seminar_data
        from seminars.queries import personal_data

        register_exporter("event_registrations", personal_data.export_registrations)
        register_exporter("course_progress", personal_data.export_course_progress)
        register_eraser("seminars", erase_seminar_data)
        # Event materials in the Wissenssammlung (community.knowledge).
        knowledge.register()
