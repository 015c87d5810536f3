from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Chat")

    def ready(self) -> None:
        from accounts.personal_data import register_eraser, register_exporter
        from chat import queries
        from chat.actions.personal_data import erase_chat_data

        register_exporter("chat_messages", queries.export_messages)
        register_exporter("chat_rooms", queries.export_rooms)
        register_eraser("chat", erase_chat_data)
