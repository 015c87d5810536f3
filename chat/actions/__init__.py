"""Writes for the chat: one module per noun, re-exported here."""

from chat.actions.messages import (
    SendRequest,
    SendResult,
    delete_message,
    edit_message,
    send_message,
    send_messages,
    toggle_reaction,
)
from chat.actions.reads import mark_read
from chat.actions.rooms import (
    add_members,
    create_room,
    ensure_owned_room,
    ensure_space_room,
    leave_room,
    mute_member,
    remove_member,
    start_direct,
)

__all__ = [
    "SendRequest",
    "SendResult",
    "add_members",
    "create_room",
    "delete_message",
    "edit_message",
    "ensure_owned_room",
    "ensure_space_room",
    "leave_room",
    "mark_read",
    "mute_member",
    "remove_member",
    "send_message",
    "send_messages",
    "start_direct",
    "toggle_reaction",
]
