from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Micro-grants")

    def ready(self) -> None:
        from accounts.personal_data import register_eraser, register_exporter
        from grants import knowledge, queries
        from grants.actions.personal_data import erase_grant_data

        register_exporter("grant_applications", queries.export_applications)
        register_eraser("grants", erase_grant_data)
        # Praxisbeispiele in the Wissenssammlung (community.knowledge).
        knowledge.register()
