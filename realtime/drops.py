"""Drops of the channel layer, made visible.

channels-redis drops a group message for a channel whose queue is full
(`capacity`) and says so only at INFO. What still travels on the layer (a
member's own events: session ends, memberships, notifications) should not
vanish unseen: settings.LOGGING puts this filter on the `channels_redis.core`
logger. Its own module, because logging is configured before the apps load.
"""

from __future__ import annotations

import logging


class LayerDrops(logging.Filter):
    """Makes channels-redis's drops visible: a group message to a channel
    whose queue is full (`capacity`) is dropped and logged at INFO only. This
    filter (on the `channels_redis.core` logger, see settings.LOGGING) counts
    the channels that lost a message and logs it as a warning with the total
    so far; other INFO records of that logger are left out."""

    dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if "over capacity" not in str(record.msg):
            return record.levelno >= logging.WARNING
        if getattr(record, "layer_drop", False):
            return True  # configured twice (django.setup() again): once is enough
        record.layer_drop = True
        LayerDrops.dropped += int(record.args[0]) if record.args else 1
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.msg = f"{record.msg}: message dropped (%s drops in this process)"
        record.args = (*(record.args or ()), LayerDrops.dropped)
        return True
