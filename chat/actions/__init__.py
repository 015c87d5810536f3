"""Writes for the chat: one module per noun, re-exported here."""

from chat.actions.messages import delete_message, edit_message, toggle_reaction
from chat.actions.reads import mark_read
from chat.actions.rooms import (
    add_members,
    admit_to_owned_room,
    create_room,
    dismiss_from_owned_room,
    ensure_owned_room,
    ensure_space_room,
    leave_room,
    mute_member,
    open_missing_space_rooms,
    readmit_member,
    remove_member,
    set_slow_mode,
    start_direct,
)
from chat.actions.sending import SendRequest, SendResult, send_message, send_messages

__all__ = [
    "SendRequest",
    "SendResult",
    "add_members",
    "admit_to_owned_room",
    "create_room",
    "delete_message",
    "dismiss_from_owned_room",
    "edit_message",
    "ensure_owned_room",
    "ensure_space_room",
    "leave_room",
    "mark_read",
    "mute_member",
    "open_missing_space_rooms",
    "readmit_member",
    "remove_member",
    "send_message",
    "send_messages",
    "set_slow_mode",
    "start_direct",
    "toggle_reaction",
]
