"""Channel-layer group names. Every audience is named here, nowhere else."""


def user(user_id: int) -> str:
    """Every socket of one member (notifications, sanctions, sign-out)."""
    return f"user.{user_id}"


def chat_room(room_id: int) -> str:
    return f"chat.room.{room_id}"


def forum_thread(thread_id: int) -> str:
    return f"forum.thread.{thread_id}"


def moderators() -> str:
    return "moderation.queue"


def chat_room_id(group: str) -> int | None:
    """The room of a `chat_room` group name (None for any other group): room
    events travel on the room bus (realtime.bus), the rest on the layer."""
    prefix, _, room_id = group.rpartition(".")
    if prefix == "chat.room" and room_id.isdigit():
        return int(room_id)
    return None
