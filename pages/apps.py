from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Pages")

    def ready(self) -> None:
        from accounts.personal_data import register_eraser, register_exporter
        from pages import actions, queries

        register_exporter(
            "accessibility_feedback", queries.export_accessibility_feedback
        )
        register_eraser("accessibility_feedback", actions.erase_feedback_sender)
