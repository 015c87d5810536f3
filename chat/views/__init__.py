"""Chat pages, by noun: rooms and their history; managers' tools."""

from chat.views.attachments import attachment_download, attachment_upload
from chat.views.direct import direct_start, direct_with
from chat.views.management import (
    member_mute,
    member_readmit,
    member_remove,
    member_remove_chosen,
    members_add,
    room_leave,
    slow_mode,
)
from chat.views.rooms import (
    message_send,
    room_create,
    room_detail,
    room_history,
    room_list,
)

__all__ = [
    "attachment_download",
    "attachment_upload",
    "direct_start",
    "direct_with",
    "member_mute",
    "member_readmit",
    "member_remove",
    "member_remove_chosen",
    "members_add",
    "message_send",
    "room_create",
    "room_detail",
    "room_history",
    "room_leave",
    "room_list",
    "slow_mode",
]
