"""Reading client frames: typed fields or a FrameError naming the problem."""

from __future__ import annotations

import re
from typing import Any

MAX_REF_LENGTH = 64
# Text frames longer than this are refused unread (a 4,000-character message
# fits several times over, even JSON-escaped).
MAX_FRAME_LENGTH = 32_000
# What no text field may hold: NUL (PostgreSQL stores no NUL in text) and lone
# surrogates (valid JSON escapes, but not Unicode text: "\ud800").
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class FrameError(Exception):
    """A frame refused with an error code (docs/protocol.md, "Errors")."""

    def __init__(self, code: str, reason: str = "", **extra: Any) -> None:
        """`reason` is for the log; `extra` fields go into the error frame
        (a `detail` among them is a sentence for the member)."""
        super().__init__(code, reason)
        self.code = code
        self.reason = reason
        self.extra = extra


def integer(frame: dict[str, Any], name: str, *, required: bool = True) -> int | None:
    """A non-negative integer field (booleans are not integers here)."""
    value = frame.get(name)
    if value is None:
        if required:
            raise FrameError("missing_field", name, field=name)
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FrameError("bad_field", name, field=name)
    if value > 2**53:
        raise FrameError("bad_field", name, field=name)
    return value


def text(frame: dict[str, Any], name: str, *, max_length: int) -> str:
    """A string field that can be stored (no NUL, no lone surrogate)."""
    value = frame.get(name)
    if value is None:
        raise FrameError("missing_field", name, field=name)
    if not isinstance(value, str):
        raise FrameError("bad_field", name, field=name)
    if len(value) > max_length:
        raise FrameError("too_long", name, field=name)
    if UNSTORABLE.search(value):
        raise FrameError("bad_field", f"{name}: not storable text", field=name)
    return value


def ref(frame: dict[str, Any]) -> str | int | None:
    """The client's own reference for a frame, echoed in the answer."""
    value = frame.get("ref")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FrameError("bad_field", "ref", field="ref")
    if isinstance(value, str) and len(value) > MAX_REF_LENGTH:
        raise FrameError("bad_field", "ref", field="ref")
    return value
