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
        register_moderation_target()


def register_moderation_target() -> None:
    """Chat messages can be reported and moderated (moderation.registry).

    A space room's messages belong to the space (its moderators decide); all
    other rooms' (ad-hoc, seminar, direct conversations) to the Geschäftsstelle
    only: `space_of` is None for them.
    """
    from chat import queries
    from chat.actions import moderation as effects
    from chat.actions.messages import message_url
    from chat.permissions import can_view_message
    from moderation.registry import TargetType, register

    register(
        TargetType(
            kind="chat_message",
            label=_("Chat message"),
            load=queries.message_for_moderation,
            can_view=can_view_message,
            space_of=lambda message: message.room.space,
            author_of=lambda message: message.author,
            excerpt=lambda message: message.body,
            url=message_url,
            context=queries.message_context,
            hide=effects.hide_message,
            restore=effects.restore_message,
            delete=effects.delete_message_by_moderator,
            approve=effects.approve_message,
        )
    )
