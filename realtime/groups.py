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
