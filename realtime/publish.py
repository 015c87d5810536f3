"""The one way events leave the application: after the transaction commits.

A broadcast is best effort; the database is the truth. Publishing after commit
means no client ever sees an event for data that was rolled back.
"""

import logging
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

Event = dict[str, Any]


def publish_on_commit(event: Event, *, to: Iterable[str]) -> None:
    """Send `event` to the groups `to` once the current transaction commits."""
    groups = list(to)
    transaction.on_commit(lambda: _send(event, groups))


def _send(event: Event, groups: list[str]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": "realtime.event", "event": event}
    for group in groups:
        try:
            async_to_sync(layer.group_send)(group, message)
        except Exception:
            # Delivery is best effort: clients resync from the database.
            logger.exception("publish to %s failed", group)
