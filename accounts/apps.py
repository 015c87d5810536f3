from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Members and municipalities")

    def ready(self) -> None:
        from accounts import actions, queries, sessions
        from accounts.personal_data import register_eraser, register_exporter

        register_exporter("profile", queries.export_profile)
        register_exporter("topics", queries.export_topics)
        register_exporter("consents", queries.export_consents)
        register_exporter("email_addresses", queries.export_email_addresses)
        register_eraser("accounts", actions.erase_account_data)
        sessions.connect()
