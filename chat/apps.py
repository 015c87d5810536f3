from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Chat")

    def ready(self) -> None:
        from accounts.personal_data import register_eraser, register_exporter
        from chat import personal_data

        register_exporter("chat_messages", personal_data.export_messages)
        register_exporter("chat_rooms", personal_data.export_rooms)
        register_eraser("chat", personal_data.erase_chat_data)
