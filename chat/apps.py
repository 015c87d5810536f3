from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Chat")

    def ready(self) -> None:
        from accounts.personal_data import (
            register_eraser,
            register_exporter,
            register_file_exporter,
        )
        from chat import queries
        from chat.actions.personal_data import erase_chat_data

        register_exporter("chat_messages", queries.export_messages)
        register_exporter("chat_rooms", queries.export_rooms)
        register_file_exporter("chat_attachments", queries.export_attachments)
        register_eraser("chat", erase_chat_data)
        register_moderation_target()
        register_moderation_seams()
        register_socket()
        register_access_checks()


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


def register_moderation_seams() -> None:
    """A space moderator's mute bites in the space's room; chat messages count
    in a member's moderation history (not for pre-moderation: a live
    conversation cannot wait for approval)."""
    from django.utils.translation import ngettext

    from chat import queries
    from chat.actions.rooms import mute_in_space, set_room_mute_by_id
    from moderation.registry import (
        Contributions,
        RoomMutes,
        register_contributions,
        register_room_mutes,
    )

    register_room_mutes(
        RoomMutes(
            mute_in_space=mute_in_space,
            set_room_mute=set_room_mute_by_id,
            room_titles=queries.room_titles,
        )
    )
    register_contributions(
        "chat_message",
        Contributions(
            count=queries.message_count,
            describe=lambda n: (
                ngettext("%(count)d chat message", "%(count)d chat messages", n)
                % {"count": n}
            ),
        ),
    )


def register_socket() -> None:
    """The chat's frames on the member's socket, and the store the room hubs
    replay from when a broadcast was lost."""
    from chat import queries
    from chat.socket import RoomFrames
    from realtime import hub, sockets

    sockets.register(RoomFrames)
    hub.set_replay_source(
        heads=queries.room_heads,
        missed=lambda room_id, since, limit: queries.replay(
            room_id, since=since, limit=limit
        ),
    )


def register_access_checks() -> None:
    """Changes of who may see a room end what is open (chat.access); chat
    mentions are checked against the room before they are sent
    (community.notification_targets)."""
    from chat import access
    from chat.permissions import (
        MESSAGE_TARGET,
        can_view_message_target,
        load_message_target,
    )
    from community import notification_targets

    access.connect()
    notification_targets.register(
        MESSAGE_TARGET, load=load_message_target, can_see=can_view_message_target
    )
